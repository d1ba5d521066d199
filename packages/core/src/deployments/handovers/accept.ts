import compare from 'semver/functions/compare.js';
import * as z from 'zod';
import { cardDigest } from '../../bundle/card-digest.js';
import { NotFoundError, ValidationError } from '../../errors/errors.js';
import { deploymentMachine } from '../../machines/deployment-machine.js';
import { Actor } from '../../model/actor.js';
import type { BundleRecord } from '../../model/bundle.js';
import { Deployment } from '../../model/deployment.js';
import type { EnvironmentRecord } from '../../model/environment.js';
import type { HandoverAccepted } from '../../model/handover.js';
import { parseInput } from '../../model/parse-input.js';
import { Digest, Reason, Slug } from '../../model/primitives.js';
import { assertMayAccept } from '../../policy/handover-duties.js';
import { retryOnConflict } from '../../runtime/conflict.js';
import { type EngineContext, nowIso } from '../../runtime/context.js';
import { KIND, listAll, readBundle, readEnvironment } from '../../runtime/records.js';
import { auditRefusals } from '../../runtime/refusals.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';
import { handoverNotice } from './notice.js';
import { handoverId, readHandover } from './read-handover.js';

/** Input of `handovers.accept`. @hidden */
export const AcceptHandoverInput = z
  .object({ environment: Slug, project: Slug, cardDigest: Digest, by: Actor, comment: Reason })
  .strict();
/** Input of `handovers.accept`: the card's digest as `plan()` shows it, and what the owners say. */
export type AcceptHandoverInput = z.input<typeof AcceptHandoverInput>;

/** An environment with a handover gate, or a typed error saying why there is nothing to accept. @internal */
export async function handoverEnvironment(context: EngineContext, id: string): Promise<EnvironmentRecord> {
  const environment = await readEnvironment(context, id);
  if (!environment) throw new NotFoundError('environment', id);
  if (!environment.value.definition.policy.handover) {
    throw new ValidationError(
      `${id} has no handover gate (policy.handover), so there is nothing to accept or withdraw. Add one to its policy first.`,
      { details: { environment: id } },
    );
  }
  return environment.value;
}

/** The bundles of a project whose card has this digest. @internal */
export async function bundlesWithCard(
  context: EngineContext,
  project: string,
  digest: string,
): Promise<BundleRecord[]> {
  const index = await listAll(context, KIND.bundleVersion, z.object({ bundleId: Digest }), `${project}@`);
  const bundles: BundleRecord[] = [];
  for (const { value } of index) {
    const bundle = (await readBundle(context, value.bundleId))?.value;
    if (bundle?.manifest.card && cardDigest(bundle.manifest.card) === digest) bundles.push(bundle);
  }
  return bundles;
}

/**
 * Records that an environment's owners accept a project's card (bound to its digest), journaled
 * as `handover.accepted` with the card itself: what they were told.
 * @internal
 */
export async function acceptHandover(context: EngineContext, input: AcceptHandoverInput): Promise<HandoverAccepted> {
  const command = parseInput(AcceptHandoverInput, input, 'handovers.accept');
  const environment = await handoverEnvironment(context, command.environment);
  const role = environment.definition.policy.handover?.role ?? '';
  const bundles = await bundlesWithCard(context, command.project, command.cardDigest);
  const card = bundles[0]?.manifest.card;
  if (!card) {
    throw new NotFoundError(
      'project card',
      command.cardDigest,
      `No bundle of ${command.project} carries it; take the digest from plan() (the handover gate's details.cardDigest).`,
    );
  }
  const ids = new Set(bundles.map((bundle) => bundle.id));
  const waiting = (await listAll(context, KIND.deployment, Deployment, `${command.environment}/`))
    .map(({ value }) => value)
    .filter((d) => ids.has(d.bundleId) && d.status !== 'active' && !deploymentMachine.isTerminal(d.status));
  const id = handoverId(command.environment, command.project);
  await auditRefusals(
    context,
    command.by,
    { action: 'accept handover', subject: { kind: KIND.handover, id }, environment: command.environment },
    () =>
      assertMayAccept({
        role,
        actor: command.by,
        action: `accept the handover of ${command.project} into ${command.environment}`,
        bundles,
        requesters: waiting.map((d) => d.requestedBy),
      }),
  );
  // The version the card is accepted for: the newest waiting promotion's, else the newest bundle's.
  const version =
    (
      waiting.at(-1) ??
      bundles
        .map((b) => b.manifest)
        .sort((a, b) => compare(a.version, b.version))
        .at(-1)
    )?.version ?? '0.0.0';
  return retryOnConflict(async () => {
    const previous = await readHandover(context, command.environment, command.project);
    const at = nowIso(context);
    const record: HandoverAccepted = {
      status: 'accepted',
      environment: command.environment,
      project: command.project,
      cardDigest: command.cardDigest,
      card,
      version,
      by: command.by,
      at,
      comment: command.comment,
    };
    await new UnitOfWork(context)
      .put(KIND.handover, id, previous?.version ?? null, record)
      .journal({
        at,
        actor: command.by,
        type: 'handover.accepted',
        subject: { kind: KIND.handover, id },
        environment: command.environment,
        reason: command.comment,
        data: {
          project: command.project,
          cardDigest: command.cardDigest,
          card,
          version,
          role,
          ...(previous ? { previousCardDigest: previous.value.cardDigest } : {}),
        },
      })
      .emit(
        'handover.accepted',
        handoverNotice({
          definition: environment.definition,
          project: command.project,
          card,
          cardDigest: command.cardDigest,
          by: command.by.id,
          reason: command.comment,
        }),
      )
      .commit();
    return record;
  });
}
