import type { Deployment, MonitorProgress, ScenarioProgress } from './deployment.js';

/** A health level, from best to worst; `unknown` never counts as healthy. */
export type HealthLevel = 'ok' | 'unknown' | 'warning' | 'critical';

/** One part of an environment's health, with the reasons behind it. */
export interface HealthPart {
  /** The part's level. */
  level: HealthLevel;
  /** Why it is at that level, for people. */
  reasons: string[];
}

/** An environment's health rollup: deployment, execution and monitors, and the worst of them. */
export interface EnvironmentHealth {
  /** The environment. */
  environment: string;
  /** The worst of the three parts. */
  level: HealthLevel;
  /** The active deployment's part. */
  deployment: HealthPart & {
    /** The active deployment, or `null` when none is. */
    active: {
      /** Its id. */
      deploymentId: string;
      /** Its bundle's version. */
      version: string;
      /** Its state. */
      status: Deployment['status'];
    } | null;
  };
  /** The part of the verification scenarios. */
  execution: HealthPart & {
    /** Each verification scenario of the deployment being verified or last verified. */
    scenarios: Array<{
      /** The scenario's id. */
      id: string;
      /** Its progress. */
      status: ScenarioProgress['status'];
      /** Why it failed, if it did. */
      error?: string;
    }>;
  };
  /** The monitors' part. */
  monitors: HealthPart & {
    /** Each monitor. */
    items: Array<{
      /** The monitor's id. */
      id: string;
      /** Its status. */
      status: MonitorProgress['status'];
      /** Its last reading's level. */
      lastResult?: string;
      /** What its last probe said. */
      detail?: string;
      /** Whether it only reports (shadow mode) instead of acting. */
      shadow: boolean;
      /** When its silence ends, while silenced. */
      silencedUntil?: string;
    }>;
  };
}
