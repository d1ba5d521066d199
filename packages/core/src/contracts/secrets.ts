/**
 * What a {@link SecretResolver} is told about the host code a secret is read for.
 *
 * @example
 * ```ts
 * const resolve = (name: string, { environment, purpose }: SecretContext) => vault.read(`${environment}/${name}`, { audit: purpose });
 * ```
 */
export interface SecretContext {
  /** The environment whose variables or remaps name the secret. */
  environment: string;
  /** The deployment whose snapshot names it. */
  deploymentId: string;
  /** Which host code is about to run: the activation hook, a monitor's probe, or a scenario step. */
  purpose: 'activation' | 'probe' | 'step';
  /** Aborted when that host code's deadline passes; pass it to the secret store's client. */
  signal: AbortSignal;
}

/**
 * Reads secrets from where the host keeps them (a vault, a cloud secret manager, the process
 * environment), by the name a `{ secret: 'name' }` reference gives. Railyard calls it only just
 * before host code runs, hands the value to that code, and keeps it nowhere. Return `undefined`
 * (or `null`) for a secret that does not exist: the step, probe or hook fails with a
 * `SecretUnavailableError` naming the secret. A throw fails it the same way (retryable).
 *
 * @example
 * ```ts
 * const secrets: SecretResolver = { resolve: (name) => process.env[`SECRET_${name.toUpperCase()}`] };
 * const railyard = createRailyard({ store, blobs, secrets });
 * ```
 */
export interface SecretResolver {
  /** The secret's value, or `null`/`undefined` when the resolver does not know it. */
  resolve(name: string, context: SecretContext): Promise<string | null | undefined> | string | null | undefined;
}
