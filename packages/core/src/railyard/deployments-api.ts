import { approve, reject } from '../deployments/commands/decide.js';
import { type ExplainInput, type Explanation, explain } from '../deployments/commands/explain.js';
import { abandon, cancel } from '../deployments/commands/operate.js';
import { type PlanInput, type PromotionPlan, plan } from '../deployments/commands/plan.js';
import { promote } from '../deployments/commands/promote.js';
import { rollback } from '../deployments/commands/rollback.js';
import {
  type ApproveInput,
  type DecisionInput,
  DeploymentId,
  HistoryInput,
  type HistoryInput as HistoryInputType,
  type PromoteInput,
  type RollbackInput,
} from '../model/commands.js';
import { type Deployment, Deployment as DeploymentSchema } from '../model/deployment.js';
import { parseInput } from '../model/parse-input.js';
import { Slug } from '../model/primitives.js';
import { RemoteDeployment } from '../model/remote-deployment.js';
import type { EngineContext } from '../runtime/context.js';
import { KIND, listAll, readDeployment } from '../runtime/records.js';

/**
 * `railyard.deployments`: everything about deployments, one bundle going into one environment.
 * Commands record a decision and return at once; the worker (`railyard.start()`, or
 * `await railyard.settle()` in tests) moves the deployment through its machine.
 *
 * @example
 * ```ts
 * const deployment = await railyard.deployments.promote({ bundle: bundle.id, to: 'production', by: alice });
 * await railyard.deployments.approve(deployment.id, { by: bob, bundle: bundle.id });
 * await railyard.settle();
 * console.log((await railyard.deployments.get(deployment.id))?.status); // 'active'
 * ```
 */
export interface DeploymentsApi {
  /**
   * Requests a promotion of a bundle into an environment. The deployment starts `requested` and
   * waits for its approvals and its turn; gates that already refuse it throw a `PolicyError`.
   *
   * @example
   * ```ts
   * const deployment = await railyard.deployments.promote({ bundle: bundle.id, to: 'staging', by: alice });
   * ```
   */
  promote(input: PromoteInput): Promise<Deployment>;
  /**
   * Approves a deployment awaiting approval. Pass the bundle digest you reviewed as `bundle`: it is
   * refused if it is not the deployment's. The policy decides who may approve (roles, separation of duties).
   *
   * @example
   * ```ts
   * await railyard.deployments.approve(deployment.id, { by: bob, bundle: deployment.bundle, comment: 'diff reviewed' });
   * ```
   */
  approve(deploymentId: string, input: ApproveInput): Promise<Deployment>;
  /**
   * Rejects a deployment awaiting approval; it ends `rejected`.
   *
   * @example
   * ```ts
   * await railyard.deployments.reject(deployment.id, { by: bob, reason: 'the model is not calibrated' });
   * ```
   */
  reject(deploymentId: string, input: DecisionInput): Promise<Deployment>;
  /**
   * Withdraws a deployment that has not started (`requested`, `awaiting_approval`, `approved`);
   * it ends `cancelled`. Its requester or an operator may.
   *
   * @example
   * ```ts
   * await railyard.deployments.cancel(deployment.id, { by: alice, reason: 'superseded by 1.4.1' });
   * ```
   */
  cancel(deploymentId: string, input: DecisionInput): Promise<Deployment>;
  /**
   * Stops a stuck or unwanted deployment in any unfinished state but `active`; it ends `failed`
   * with the operator's reason, and the environment's queue moves on. Operators only.
   *
   * @example
   * ```ts
   * await railyard.deployments.abandon(deployment.id, { by: oncall, reason: 'activation host is gone' });
   * ```
   */
  abandon(deploymentId: string, input: DecisionInput): Promise<Deployment>;
  /**
   * Rolls an environment back: a new deployment of kind `rollback` restores the snapshot of an
   * earlier deployment (`to`), by default the one the active deployment replaced.
   *
   * @example
   * ```ts
   * const rollback = await railyard.deployments.rollback('production', { by: oncall, reason: 'error rate 4%' });
   * await railyard.settle();
   * ```
   */
  rollback(environment: string, input: RollbackInput): Promise<Deployment>;
  /**
   * A deployment, or `null` if there is none with this id.
   *
   * @example
   * ```ts
   * const deployment = await railyard.deployments.get(id);
   * if (deployment?.status === 'failed') console.log(deployment.failure.reason);
   * ```
   */
  get(deploymentId: string): Promise<Deployment | null>;
  /**
   * An environment's deployments, newest first (at most `limit`, default 100).
   *
   * @example
   * ```ts
   * const [latest] = await railyard.deployments.history('production', { limit: 1 });
   * ```
   */
  history(environment: string, options?: HistoryInputType): Promise<Deployment[]>;
  /**
   * A dry run of a promotion: the diff against the active bundle, the resolved settings, and
   * every gate with its state. Nothing is recorded.
   *
   * @example
   * ```ts
   * const plan = await railyard.deployments.plan({ bundle: bundle.id, to: 'production', by: alice });
   * for (const gate of plan.gates) console.log(gate.gate, gate.status, gate.reason);
   * ```
   */
  plan(input: PlanInput): Promise<PromotionPlan>;
  /**
   * Every gate with its state, and for a deployment what it is waiting for now (approvals, its
   * turn in the queue, verification) and its deadline.
   *
   * @example
   * ```ts
   * console.log((await railyard.deployments.explain(deployment.id)).text);
   * console.log((await railyard.deployments.explain({ bundle: bundle.id, to: 'production' })).text);
   * ```
   */
  explain(target: ExplainInput): Promise<Explanation>;
  /**
   * Deployments this site asked other sites for (through its transport), with their last known status.
   *
   * @example
   * ```ts
   * for (const remote of await railyard.deployments.remote('production')) console.log(remote.id, remote.status);
   * ```
   */
  remote(environment: string): Promise<RemoteDeployment[]>;
}

/** The `deployments` namespace of a Railyard, bound to its engine context. @internal */
export function createDeploymentsApi(context: EngineContext): DeploymentsApi {
  return {
    promote: (input) => promote(context, input),
    approve: (id, input) => approve(context, id, input),
    reject: (id, input) => reject(context, id, input),
    cancel: (id, input) => cancel(context, id, input),
    abandon: (id, input) => abandon(context, id, input),
    rollback: (environment, input) => rollback(context, environment, input),
    get: async (id) => (await readDeployment(context, parseInput(DeploymentId, id, 'deployment')))?.value ?? null,
    async history(environment, options = {}) {
      const envId = parseInput(Slug, environment, 'history environment');
      const { limit } = parseInput(HistoryInput, options, 'history');
      const rows = await listAll(context, KIND.deployment, DeploymentSchema, `${envId}/`);
      return rows
        .map((row) => row.value)
        .reverse()
        .slice(0, limit);
    },
    plan: (input) => plan(context, input),
    explain: (target) => explain(context, target),
    async remote(environment) {
      const envId = parseInput(Slug, environment, 'remoteDeployments environment');
      return (await listAll(context, KIND.remoteDeployment, RemoteDeployment, `${envId}/`)).map((row) => row.value);
    },
  };
}
