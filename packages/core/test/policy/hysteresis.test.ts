import { monitorMachine } from '@railyard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MonitorDefinition } from '#internal/model/verification.js';
import { classify, initialHysteresis, observe, type Reading } from '#internal/policy/hysteresis.js';

const monitor = (overrides: Record<string, unknown> = {}) =>
  MonitorDefinition.parse({ id: 'm', probe: 'p', ...overrides });
const run = (readings: Reading[], m = monitor()) =>
  readings.reduce((state, reading) => observe(state, reading, m), initialHysteresis());

describe('hysteresis', () => {
  it('trips after failAfter consecutive failures and clears after clearAfter passes', () => {
    const m = monitor({ failAfter: 3, clearAfter: 2 });
    expect(run(['fail', 'fail'], m).status).toBe('unknown');
    expect(run(['fail', 'fail', 'fail'], m).status).toBe('critical');
    expect(run(['fail', 'fail', 'pass', 'fail'], m).status).toBe('unknown');
    expect(run(['fail', 'fail', 'fail', 'pass'], m).status).toBe('critical');
    expect(run(['fail', 'fail', 'fail', 'pass', 'pass'], m).status).toBe('ok');
    expect(run(['warning', 'fail', 'warning'], m).status).toBe('warning');
  });

  it('steps down from critical to warning after clearAfter readings at the warning level, as the monitor machine draws', () => {
    const m = monitor({ failAfter: 2, clearAfter: 3 });
    expect(monitorMachine.next('critical', 'warn')).toBe('warning');
    expect(monitorMachine.guard('critical', 'warn')).toBe('critical_cleared');
    expect(run(['fail', 'fail'], m).status).toBe('critical');
    expect(run(['fail', 'fail', 'warning', 'warning'], m).status).toBe('critical');
    expect(run(['fail', 'fail', 'warning', 'warning', 'warning'], m).status).toBe('warning');
    // A critical reading in between starts the count again.
    expect(run(['fail', 'fail', 'warning', 'warning', 'fail', 'warning', 'warning'], m).status).toBe('critical');
    // From warning, failAfter critical readings trip it again.
    expect(run(['fail', 'fail', 'warning', 'warning', 'warning', 'fail', 'fail'], m).status).toBe('critical');
  });

  it('only ever makes a move the monitor machine allows', () => {
    fc.assert(
      fc.property(readings, settings, (rs, s) => {
        const m = monitor(s);
        let state = initialHysteresis();
        for (const reading of rs) {
          const next = observe(state, reading, m);
          if (next.status !== state.status) {
            const moves = monitorMachine
              .events(state.status)
              .map((event) => monitorMachine.tryNext(state.status, event));
            expect(moves).toContain(next.status);
          }
          state = next;
        }
      }),
    );
  });

  it('never counts inconclusive as a pass; inconclusiveAs decides what it counts as', () => {
    expect(run(['inconclusive', 'inconclusive']).status).toBe('unknown');
    expect(run(['fail', 'inconclusive'], monitor({ failAfter: 2 })).status).toBe('unknown');
    expect(run(['fail', 'inconclusive'], monitor({ failAfter: 2, inconclusiveAs: 'fail' })).status).toBe('critical');
    expect(run(['inconclusive'], monitor({ inconclusiveAs: 'warning' })).status).toBe('warning');
  });

  it('judges numbers by thresholds, above or below', () => {
    const above = { warning: 0.02, critical: 0.05, direction: 'above' as const };
    expect([0.01, 0.03, 0.07].map((v) => classify(v, above))).toEqual(['pass', 'warning', 'fail']);
    const below = { critical: 100, direction: 'below' as const };
    expect([150, 50].map((v) => classify(v, below))).toEqual(['pass', 'fail']);
    expect(classify(5, undefined)).toBe('inconclusive');
    expect(classify(Number.NaN, above)).toBe('inconclusive');
  });

  const readings = fc.array(fc.constantFrom<Reading>('pass', 'warning', 'fail', 'inconclusive'), { maxLength: 40 });
  const settings = fc.record({ failAfter: fc.integer({ min: 1, max: 5 }), clearAfter: fc.integer({ min: 1, max: 5 }) });

  it('is critical whenever the run ends with failAfter failures in a row, and never ok right after failAfter breaches', () => {
    fc.assert(
      fc.property(readings, settings, (rs, s) => {
        const m = monitor(s);
        const conclusive = rs.filter((r) => r !== 'inconclusive');
        const tail = conclusive.slice(-s.failAfter);
        const state = run(rs, m);
        if (tail.length === s.failAfter && tail.every((r) => r === 'fail')) expect(state.status).toBe('critical');
        const breaches = conclusive.slice(-s.failAfter);
        if (breaches.length === s.failAfter && breaches.every((r) => r !== 'pass'))
          expect(['warning', 'critical']).toContain(state.status);
      }),
    );
  });

  it('never reports ok without at least clearAfter passes, and ignores inconclusive readings entirely by default', () => {
    fc.assert(
      fc.property(readings, settings, (rs, s) => {
        const m = monitor(s);
        const withoutInconclusive = rs.filter((r) => r !== 'inconclusive');
        expect(run(rs, m)).toEqual(run(withoutInconclusive, m));
        if (withoutInconclusive.filter((r) => r === 'pass').length < s.clearAfter)
          expect(run(rs, m).status).not.toBe('ok');
      }),
    );
  });
});
