import { NotFoundError } from '../../errors/errors.js';
import type { Deployment, ScenarioProgress } from '../../model/deployment.js';
import type { EnvironmentHealth, HealthLevel } from '../../model/health.js';
import { parseInput } from '../../model/parse-input.js';
import { Slug } from '../../model/primitives.js';
import type { EngineContext } from '../../runtime/context.js';
import { readDeployment, readEnvironment } from '../../runtime/records.js';
import { activeSilences } from './silences.js';

const RANK: Record<HealthLevel, number> = { ok: 0, unknown: 1, warning: 2, critical: 3 };

/** The worst of several levels. @internal */
export function worst(levels: readonly HealthLevel[]): HealthLevel {
  return levels.reduce<HealthLevel>((a, b) => (RANK[b] > RANK[a] ? b : a), 'ok');
}

/**
 * An environment's health, like Dataiku's unified monitoring: the deployment status (what runs,
 * whether the environment is degraded or halted), the execution status (the running deployment's
 * scenario outcomes) and the monitor status (each monitor's last reading, shadow and silenced ones
 * shown but not counted), rolled up as the worst of the three, each with its reasons.
 * @internal
 */
export async function environmentHealth(context: EngineContext, rawId: string): Promise<EnvironmentHealth> {
  const id = parseInput(Slug, rawId, 'health');
  const environment = await readEnvironment(context, id);
  if (!environment) throw new NotFoundError('environment', id);
  const env = environment.value;
  const running = env.active ? (await readDeployment(context, env.active.deploymentId))?.value : undefined;

  const deployment: EnvironmentHealth['deployment'] = { level: 'ok', reasons: [], active: null };
  if (env.status !== 'ready')
    deployment.reasons.push(`${id} is ${env.status}: ${env.statusReason ?? 'no reason recorded'}`);
  if (!running) {
    deployment.level = env.status === 'halted' ? 'critical' : 'unknown';
    deployment.reasons.push(`${id} runs nothing yet`);
  } else {
    deployment.active = { deploymentId: running.id, version: running.version, status: running.status };
    if (env.status === 'halted' || running.status === 'failed') deployment.level = 'critical';
    else if (env.status === 'degraded' || running.status !== 'active') deployment.level = 'warning';
    if (running.status !== 'active') deployment.reasons.push(`${running.id} (${running.version}) is ${running.status}`);
  }

  const scenarioProgress = running?.status === 'verifying' ? running.verification.scenarios : lastScenarios(running);
  const scenarios = Object.entries(scenarioProgress).map(([sid, p]) => ({
    id: sid,
    status: p.status,
    ...(p.error ? { error: p.error } : {}),
  }));
  const execution: EnvironmentHealth['execution'] = {
    level: worst(scenarios.map((s) => (s.status === 'failed' ? 'critical' : s.status === 'passed' ? 'ok' : 'unknown'))),
    reasons: scenarios
      .filter((s) => s.status === 'failed')
      .map((s) => `scenario ${s.id} failed: ${s.error ?? 'no detail'}`),
    scenarios,
  };

  const definitions = env.definition.verification.monitors;
  const progress =
    running?.status === 'verifying'
      ? running.verification.monitors
      : running?.status === 'active'
        ? (running.watch?.monitors ?? running.monitors ?? {})
        : {};
  const silences = await activeSilences(context, id);
  const items = definitions.map((m) => {
    const p = progress[m.id];
    const silence = silences.get(m.id);
    return {
      id: m.id,
      status: p?.status ?? 'unknown',
      ...(p?.lastResult ? { lastResult: p.lastResult } : {}),
      ...(p?.detail ? { detail: p.detail } : {}),
      shadow: m.shadow,
      ...(silence ? { silencedUntil: silence.until } : {}),
    };
  });
  const counted = items.filter((i) => !i.shadow && !i.silencedUntil && i.status !== 'silenced');
  const monitors: EnvironmentHealth['monitors'] = {
    level: worst(counted.map((i) => (i.status === 'silenced' ? 'ok' : i.status))),
    reasons: counted
      .filter((i) => i.status === 'critical' || i.status === 'warning')
      .map((i) => `monitor ${i.id} is ${i.status}${i.detail ? ` (${i.detail})` : ''}`),
    items,
  };
  return {
    environment: id,
    level: worst([deployment.level, execution.level, monitors.level]),
    deployment,
    execution,
    monitors,
  };
}

function lastScenarios(running: Deployment | undefined): Record<string, ScenarioProgress> {
  return running?.status === 'active' ? (running.scenarios ?? {}) : {};
}
