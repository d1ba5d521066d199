import type { z } from 'zod';
import { ValidationError } from '../errors/errors.js';

/**
 * Parses input against a schema, or throws a `ValidationError` naming each bad field and what was
 * expected. Nothing has been read or written when it throws.
 * @internal
 */
export function parseInput<TSchema extends z.ZodType>(
  schema: TSchema,
  input: unknown,
  what: string,
): z.output<TSchema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const list = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  throw new ValidationError(`${what}: invalid input (${list}). Fix these fields and call again.`, {
    details: { issues },
  });
}
