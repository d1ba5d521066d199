import { Writable } from 'node:stream';
import { createRailyard, type Logger, memoryBlobStore, memoryStateStore } from '@railyard/core';
import { adapterError } from '@railyard/core/adapters';
import { createFakeClock } from '@railyard/core/testing';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { bake, createWorld, promoteToProduction } from '../deployments/fixtures.js';

type Line = { level: 'debug' | 'info' | 'warn' | 'error'; facts: Record<string, unknown>; message: string };

/** A logger that keeps every line, as a host's would. */
function capturingLogger(): Logger & { lines: Line[] } {
  const lines: Line[] = [];
  const at = (level: Line['level']) => (facts: Record<string, unknown>, message: string) => {
    lines.push({ level, facts, message });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

// The fixture's environment variables and connections: none of them may ever reach a log.
const SECRETS = ['eu-west-1', 'prod-warehouse', 'dev-warehouse'];

describe('the logger option', () => {
  it('logs each transition of a promotion at info, with ids and never variables', async () => {
    const logger = capturingLogger();
    const world = await createWorld({ logger });
    const { deployment, bundle } = await promoteToProduction(world, '1.0.0');
    await bake(world);

    const transitions = logger.lines.filter(
      (line) => line.facts.deploymentId === deployment.id && 'from' in line.facts && 'event' in line.facts,
    );
    expect(transitions.map((line) => [line.level, line.message])).toEqual([
      ['info', `deployment ${deployment.id} requested → awaiting_approval`],
      ['info', `deployment ${deployment.id} awaiting_approval → approved`],
      ['info', `deployment ${deployment.id} approved → transferring`],
      ['info', `deployment ${deployment.id} transferring → preflight`],
      ['info', `deployment ${deployment.id} preflight → activating`],
      ['info', `deployment ${deployment.id} activating → verifying`],
      ['info', `deployment ${deployment.id} verifying → active`],
    ]);
    expect(transitions[1]?.facts).toMatchObject({ environment: 'production', bundleId: bundle.id, actor: 'operator' });
    // Host code claimed: the verification's smoke step, the monitor's probe.
    expect(logger.lines.some((line) => line.message === 'host code claimed and started (railyard.step)')).toBe(true);
    expect(logger.lines.some((line) => line.message === 'host code claimed and started (railyard.probe)')).toBe(true);
    expect(
      logger.lines.some((line) => line.level === 'info' && line.message.includes('→ succeeded') && line.facts.runId),
    ).toBe(true);
    const text = JSON.stringify(logger.lines);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it('warns about a failed step attempt that will be retried, with its error', async () => {
    const logger = capturingLogger();
    const world = await createWorld({ logger });
    world.health.smokeFailures.set('1.0.0', 1);
    await promoteToProduction(world, '1.0.0');
    await bake(world);
    const retrying = logger.lines.find((line) => line.facts.to === 'retrying');
    expect(retrying?.level).toBe('warn');
    expect(retrying?.facts.error).toMatchObject({ message: 'smoke check returned 500' });
  });

  it('warns on each retry of an adapter call and logs the final failure as an error with its cause', async () => {
    const logger = capturingLogger();
    const store = memoryStateStore();
    let failures = 0;
    const flaky = {
      ...store,
      capabilities: store.capabilities,
      list: async (...args: Parameters<typeof store.list>) => {
        if (failures-- > 0)
          throw adapterError({ operation: 'list', retryable: true, cause: new Error('connection reset') });
        return store.list(...args);
      },
    };
    const railyard = createRailyard({
      store: flaky,
      blobs: memoryBlobStore(),
      logger,
      retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 2 },
    });
    failures = 1;
    await railyard.environments.list();
    const retried = logger.lines.filter((line) => line.level === 'warn');
    expect(retried.map((line) => line.message)).toEqual(['state store list(environment) failed; retrying']);
    expect(String((retried[0]?.facts.err as Error | undefined)?.cause)).toContain('connection reset');
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([]);

    failures = 10;
    await expect(railyard.environments.list()).rejects.toMatchObject({ code: 'ADAPTER' });
    expect(logger.lines.filter((line) => line.level === 'warn')).toHaveLength(3);
    const failed = logger.lines.filter((line) => line.level === 'error');
    expect(failed.map((line) => line.message)).toEqual(['state store list(environment) failed']);
    expect(failed[0]?.facts).toMatchObject({ operation: 'state store list(environment)', retryable: true });
    expect(String((failed[0]?.facts.err as Error | undefined)?.cause)).toContain('connection reset');
  });

  it('logs the worker starting and stopping', async () => {
    const logger = capturingLogger();
    // On a fake clock nothing ends the worker's sleep but stop(), even when stop() comes mid-pass.
    const clock = createFakeClock();
    const railyard = createRailyard({ store: memoryStateStore(), blobs: memoryBlobStore(), logger, clock, idleMs: 10 });
    railyard.start();
    await railyard.stop();
    expect(logger.lines.map((line) => line.message)).toEqual(['railyard worker started', 'railyard worker stopped']);
    expect(logger.lines[0]?.facts).toMatchObject({ idleMs: 10 });
  });

  it('writes JSON lines through a real pino logger', async () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const world = await createWorld({ logger: pino({ level: 'debug' }, stream) });
    const { deployment } = await promoteToProduction(world, '1.0.0');
    await bake(world);
    const lines = chunks
      .join('')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const active = lines.find((line) => line.msg === `deployment ${deployment.id} verifying → active`);
    expect(active).toMatchObject({
      level: 30,
      deploymentId: deployment.id,
      environment: 'production',
      from: 'verifying',
      to: 'active',
    });
    expect(lines.some((line) => line.level === 20)).toBe(true); // step moves at debug
    for (const secret of SECRETS) expect(chunks.join('')).not.toContain(secret);
  });
});

describe('without @opentelemetry/api', () => {
  it('runs with tracing off, says so once, and still counts metrics for Prometheus', async () => {
    const logger = capturingLogger();
    const world = await createWorld({
      logger,
      // A real resolution failure: the package does not exist.
      telemetry: { api: () => import(['@opentelemetry', 'api-not-installed'].join('/')) },
    });
    const { deployment } = await promoteToProduction(world, '1.0.0');
    await bake(world);
    expect((await world.railyard.deployments.get(deployment.id))?.status).toBe('active');
    const off = logger.lines.filter((line) => line.message.startsWith('OpenTelemetry is off'));
    expect(off.map((line) => line.level)).toEqual(['warn']);
    expect(String((off[0]?.facts.err as { code?: string } | undefined)?.code)).toBe('ERR_MODULE_NOT_FOUND');
    expect(await world.railyard.prometheusMetrics()).toContain(
      'railyard_deployment_transitions_total{environment="production",from="verifying",to="active"} 1',
    );
  });
});
