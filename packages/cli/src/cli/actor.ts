import { userInfo } from 'node:os';
import type { ActorInput } from '@railyard/core';
import type { RailyardConfig } from '../config/define-config.js';

/**
 * Who acts locally: `--as`, else RAILYARD_ACTOR, else the operating-system user; with the roles the
 * config's `actors` map gives that id, else RAILYARD_ROLES (comma-separated). Local file access is
 * full trust: anyone who can run this can claim any actor.
 */
export function resolveActor(as: string | undefined, config: RailyardConfig, env: NodeJS.ProcessEnv): ActorInput {
  const id = as ?? env.RAILYARD_ACTOR ?? safeUser();
  const fromConfig = config.actors?.[id];
  const roles =
    fromConfig ??
    (env.RAILYARD_ROLES ?? '')
      .split(',')
      .map((role) => role.trim())
      .filter(Boolean);
  return { id, roles: [...roles] };
}

function safeUser(): string {
  try {
    return userInfo().username || 'local';
  } catch {
    return 'local';
  }
}
