import { AdapterError } from '@railyard/core/errors';

/** The part of a zod schema the client uses to check what the agent answers. @internal */
export interface AnswerSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

/**
 * Reads a JSON answer and checks it against the core's schema: a site running another Railyard
 * version is reported as such instead of surfacing as a confusing error later.
 * @internal
 */
export async function parseAnswer<T>(schema: AnswerSchema<T>, response: Response, what: string): Promise<T> {
  let value: unknown;
  try {
    value = await response.json();
  } catch (error) {
    throw new AdapterError(`${what}: the agent's answer is not JSON.`, { cause: error, retryable: true });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AdapterError(
      `${what}: the agent's answer does not match this site's schema (${parsed.error.message.slice(0, 300)}). Run the same Railyard version on both sites.`,
    );
  }
  return parsed.data;
}
