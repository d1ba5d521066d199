import type { Deployment, MonitorProgress, ScenarioProgress } from './deployment.js';

/** A health level, from best to worst; `unknown` never counts as healthy. */
export type HealthLevel = 'ok' | 'unknown' | 'warning' | 'critical';

/** One part of an environment's health, with the reasons behind it. */
export interface HealthPart {
  level: HealthLevel;
  reasons: string[];
}

/** An environment's health rollup: deployment, execution and monitors, and the worst of them. */
export interface EnvironmentHealth {
  environment: string;
  level: HealthLevel;
  deployment: HealthPart & { active: { deploymentId: string; version: string; status: Deployment['status'] } | null };
  execution: HealthPart & { scenarios: Array<{ id: string; status: ScenarioProgress['status']; error?: string }> };
  monitors: HealthPart & {
    items: Array<{
      id: string;
      status: MonitorProgress['status'];
      lastResult?: string;
      detail?: string;
      shadow: boolean;
      silencedUntil?: string;
    }>;
  };
}
