import type { StandardSchemaV1 } from '@standard-schema/spec';

/**
 * What a schema the host hands to Railyard (a step type's params) must be: any
 * [Standard Schema](https://standardschema.dev) — zod 3.24+ and 4, valibot, arktype and others
 * implement it — so the host keeps its own validation library and its own version of it.
 *
 * @example
 * ```ts
 * import * as v from 'valibot';
 * const params: HostSchema<{ url: string }> = v.object({ url: v.pipe(v.string(), v.url()) });
 * ```
 */
export type HostSchema<TOutput = unknown> = StandardSchemaV1<unknown, TOutput>;

/**
 * The type a host schema produces once it has validated a value (what a step's `run` receives as
 * `params`).
 *
 * @example
 * ```ts
 * const Params = z.object({ limit: z.number().default(100) });
 * type Params = HostSchemaOutput<typeof Params>; // { limit: number }
 * ```
 */
export type HostSchemaOutput<TSchema extends HostSchema> = StandardSchemaV1.InferOutput<TSchema>;

/** The outcome of validating a value with a host schema: the value it produced, or its first issue as one line. @internal */
export type HostValidation = { ok: true; value: unknown } | { ok: false; path: string; message: string };

/**
 * Validates a value with a host-supplied Standard Schema (sync or async), keeping only what Railyard
 * reports: the output, or where the first issue is and what it says. @internal
 */
export async function validateHostSchema(schema: HostSchema, value: unknown): Promise<HostValidation> {
  let result: StandardSchemaV1.Result<unknown>;
  try {
    result = await schema['~standard'].validate(value);
  } catch (error) {
    return {
      ok: false,
      path: '',
      message: `the schema threw: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (!result.issues) return { ok: true, value: result.value };
  const issue = result.issues[0];
  const path = (issue?.path ?? [])
    .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
    .join('.');
  return { ok: false, path, message: issue?.message ?? 'invalid' };
}
