import validSemver from 'semver/functions/valid.js';
import * as z from 'zod';

/** A lower-case slug: letters, digits, `-` and `_`, starting with a letter or digit (max 64). */
export const Slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected a lower-case slug like "production" or "fraud-model"');

/** A `sha256:<64 hex>` content digest. @hidden */
export const Digest = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'expected a digest like "sha256:<64 hex digits>"');
/** A `sha256:<64 hex>` content digest. */
export type Digest = z.infer<typeof Digest>;

/** A semantic version such as `1.4.0` or `2.0.0-rc.1`. */
export const SemverString = z
  .string()
  .refine((value) => validSemver(value) === value, 'expected a semantic version like "1.4.0"');

/** An ISO-8601 timestamp in UTC, as produced by `Date.prototype.toISOString`. */
export const Timestamp = z.iso.datetime({ offset: false });

/** A free-text reason or comment (max 2,000 characters). */
export const Reason = z.string().min(1).max(2000);

/** A non-negative duration in milliseconds. */
export const Duration = z.number().int().nonnegative();
