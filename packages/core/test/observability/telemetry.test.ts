import { afterEach, describe, expect, it } from 'vitest';
import { bake, createWorld, promoteToProduction } from '../deployments/fixtures.js';
import { createOtel, parentOf } from './otel.js';

const otels: Array<ReturnType<typeof createOtel>> = [];
afterEach(async () => {
  for (const otel of otels.splice(0)) await otel.close();
});

describe('OpenTelemetry: one promotion observed with the real SDK', () => {
  it('yields a span per command, transition, host code run and store call, nested', async () => {
    const otel = createOtel();
    otels.push(otel);
    const world = await createWorld({ telemetry: otel.telemetry });
    const { deployment, bundle } = await promoteToProduction(world, '1.0.0');
    await bake(world);
    expect((await world.railyard.deployments.get(deployment.id))?.status).toBe('active');

    const spans = otel.finished();
    const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
    const ancestors = (span: (typeof spans)[number]) => {
      const names: string[] = [];
      for (let at = parentOf(span); at; at = parentOf(byId.get(at)!)) names.push(byId.get(at)?.name ?? '?');
      return names;
    };
    const transitions = spans.filter(
      (span) => span.name === 'railyard.transition' && span.attributes['railyard.deployment.id'] === deployment.id,
    );
    expect(
      transitions.map(
        (span) => `${span.attributes['railyard.transition.from']}→${span.attributes['railyard.transition.to']}`,
      ),
    ).toEqual([
      'requested→awaiting_approval',
      'awaiting_approval→approved',
      'approved→transferring',
      'transferring→preflight',
      'preflight→activating',
      'activating→verifying',
      'verifying→active',
    ]);
    for (const span of transitions) {
      expect(span.attributes).toMatchObject({ 'railyard.environment': 'production', 'railyard.bundle.id': bundle.id });
      // Each transition is committed by one store call inside it.
      const children = spans
        .filter((child) => parentOf(child) === span.spanContext().spanId)
        .map((child) => child.name);
      expect(children).toEqual(['railyard.state commit']);
    }
    // The first two happen in commands (promote, approve); the worker's ticks drive the rest.
    expect(ancestors(transitions[0]!)).toEqual(['railyard.deployments.promote']);
    expect(ancestors(transitions[1]!)).toEqual(['railyard.deployments.approve']);
    for (const span of transitions.slice(2)) expect(ancestors(span)).toEqual(['railyard.tick']);

    const promoteSpan = spans.find(
      (span) =>
        span.name === 'railyard.deployments.promote' && span.attributes['railyard.environment'] === 'production',
    );
    expect(promoteSpan?.attributes).toMatchObject({
      'railyard.deployment.id': deployment.id,
      'railyard.bundle.id': bundle.id,
    });
    const reads = spans.filter(
      (span) => parentOf(span) === promoteSpan?.spanContext().spanId && span.name === 'railyard.state get',
    );
    expect(reads.length).toBeGreaterThan(0);
    expect(reads[0]?.attributes).toMatchObject({ 'railyard.adapter': 'state', 'railyard.operation': 'get' });

    const step = spans.find(
      (span) => span.name === 'railyard.step' && span.attributes['railyard.deployment.id'] === deployment.id,
    );
    expect(step?.attributes).toMatchObject({ 'railyard.step': 'smoke', 'railyard.environment': 'production' });
    const probes = spans.filter(
      (span) => span.name === 'railyard.probe' && span.attributes['railyard.deployment.id'] === deployment.id,
    );
    expect(probes.length).toBeGreaterThan(0);
    expect(probes[0]?.attributes).toMatchObject({ 'railyard.monitor': 'error-rate', 'railyard.bundle.id': bundle.id });
    expect(spans.filter((span) => span.status.code === 2)).toEqual([]);
  });

  it('records the documented metrics of the promotion, the same in OpenTelemetry and in Prometheus text', async () => {
    const otel = createOtel();
    otels.push(otel);
    const world = await createWorld({ telemetry: otel.telemetry });
    const { deployment } = await promoteToProduction(world, '1.0.0');
    await bake(world);
    const active = await world.railyard.deployments.get(deployment.id);
    if (active?.status !== 'active') throw new Error('the promotion did not go live');

    const production = (points: Awaited<ReturnType<typeof otel.points>>) =>
      points.filter((point) => point.attributes.environment === 'production');
    const transitions = production(await otel.points('railyard.deployment.transitions'));
    expect(transitions.map((point) => [`${point.attributes.from}→${point.attributes.to}`, point.value]).sort()).toEqual(
      [
        ['activating→verifying', 1],
        ['approved→transferring', 1],
        ['awaiting_approval→approved', 1],
        ['preflight→activating', 1],
        ['requested→awaiting_approval', 1],
        ['transferring→preflight', 1],
        ['verifying→active', 1],
      ],
    );
    // Verification lasted from entering `verifying` to going `active`, on the fake clock.
    const verifying = (Date.parse(active.updatedAt) - Date.parse(active.activatedAt ?? active.updatedAt)) / 1000;
    const verification = production(await otel.points('railyard.verification.duration'));
    expect(verification).toHaveLength(1);
    expect(verification[0]?.attributes.outcome).toBe('active');
    expect((verification[0]?.value as { sum: number; count: number } | undefined)?.count).toBe(1);
    expect((verification[0]?.value as { sum: number } | undefined)?.sum).toBe(verifying);
    expect(verifying).toBeGreaterThanOrEqual(300); // at least the bake time

    const scenario = (await otel.points('railyard.scenario.duration')).filter(
      (point) => point.attributes.verification === true,
    );
    expect(scenario.map((point) => [point.attributes.outcome, (point.value as { count: number }).count])).toEqual([
      ['succeeded', 1],
    ]);
    expect(await otel.points('railyard.rollbacks')).toEqual([]);

    const deployments = await otel.points('railyard.deployments');
    expect(
      deployments.map((point) => [point.attributes.environment, point.attributes.status, point.value]).sort(),
    ).toEqual([
      ['design', 'active', 1],
      ['production', 'active', 1],
    ]);
    const queue = await otel.points('railyard.environment.queue');
    expect(queue.map((point) => point.value)).toEqual([0, 0]);
    const monitors = await otel.points('railyard.monitor.status');
    expect(monitors.map((point) => [point.attributes.monitor, point.attributes.status, point.value])).toEqual([
      ['error-rate', 'ok', 1],
    ]);

    const calls = await otel.points('railyard.adapter.duration');
    const commits = calls.find(
      (point) => point.attributes.adapter === 'state' && point.attributes.operation === 'commit',
    );
    expect((commits?.value as { count: number } | undefined)?.count).toBeGreaterThanOrEqual(7);

    const text = await world.railyard.prometheusMetrics();
    expect(text).toContain(
      'railyard_deployment_transitions_total{environment="production",from="verifying",to="active"} 1',
    );
    expect(text).toContain(
      `railyard_verification_duration_seconds_sum{environment="production",outcome="active"} ${verifying}`,
    );
    expect(text).toContain('railyard_deployments{environment="production",status="active"} 1');
    expect(text).toContain('railyard_monitor_status{environment="production",monitor="error-rate",status="ok"} 1');
    expect(text).toContain(
      `railyard_adapter_duration_seconds_count{adapter="state",operation="commit"} ${(commits?.value as { count: number } | undefined)?.count}`,
    );
  });
});
