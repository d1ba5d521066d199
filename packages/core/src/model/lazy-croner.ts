import { createRequire } from 'node:module';
import type { Cron } from 'croner';

let loaded: typeof Cron | undefined;

/**
 * croner's `Cron` class, loaded on the first call: an app that never uses a cron expression (no
 * schedule trigger, no recurring freeze) never loads croner. Synchronous, because schemas validate
 * expressions inside zod refinements; croner ships CommonJS beside ESM, so `require` is safe.
 * @internal
 */
export function cronClass(): typeof Cron {
  loaded ??= (createRequire(import.meta.url)('croner') as typeof import('croner')).Cron;
  return loaded;
}
