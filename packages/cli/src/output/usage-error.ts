import { ValidationError } from '@railyard/core/errors';

/** Bad usage of a command (a missing flag, no TTY to confirm on): exit code 2 like any bad input. */
export function usageError(message: string): ValidationError {
  return new ValidationError(message, { details: { usage: true } });
}
