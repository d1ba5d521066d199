import { randomUUID } from 'node:crypto';
import { CapabilityError } from '../../errors/errors.js';
import type { Actor } from '../../model/actor.js';
import type { BundleRecord } from '../../model/bundle.js';
import type { Deployment } from '../../model/deployment.js';
import type { RemoteDeployment } from '../../model/remote-deployment.js';
import { type EngineContext, nowIso } from '../../runtime/context.js';
import { KIND } from '../../runtime/records.js';
import { UnitOfWork } from '../../runtime/unit-of-work.js';
import { pushBlobs } from '../bundles/push-bundle.js';
import { bundleSignatures } from '../bundles/signatures.js';

/**
 * Promotes into an environment that lives on another site: pushes only the blobs that site lacks,
 * then the manifest, then asks it for the promotion (with an idempotency key, so a retry never
 * promotes twice), and records the remote deployment to follow its status. The remote site's
 * policy and approvers decide; this site only asks.
 * @internal
 */
export async function promoteRemote(
  context: EngineContext,
  command: {
    bundle: BundleRecord;
    to: string;
    by: Actor;
    reason?: string | undefined;
    idempotencyKey?: string | undefined;
  },
): Promise<Deployment> {
  const transport = context.transport;
  if (!transport)
    throw new CapabilityError('transport', `Environment "${command.to}" is remote but this Railyard has no transport.`);
  const { manifest } = command.bundle;
  const pushed = await pushBlobs(context, transport, command.bundle);
  await transport.pushBundle(manifest);
  for (const signature of await bundleSignatures(context, command.bundle.id)) await transport.pushSignature(signature);
  const remote = await transport.promote({
    bundleId: command.bundle.id,
    to: command.to,
    by: command.by,
    ...(command.reason ? { reason: command.reason } : {}),
    idempotencyKey: command.idempotencyKey ?? randomUUID(),
  });
  const at = nowIso(context);
  const record: RemoteDeployment = {
    environment: command.to,
    remoteId: remote.id,
    bundleId: command.bundle.id,
    version: manifest.version,
    requestedBy: command.by,
    requestedAt: at,
    status: remote.status,
    checkedAt: at,
  };
  const key = `${command.to}/${remote.id}`;
  const existing = await context.store.get(KIND.remoteDeployment, key);
  await new UnitOfWork(context)
    .put(KIND.remoteDeployment, key, existing?.version ?? null, record)
    .journal({
      at,
      actor: command.by,
      type: 'remote.promotion.requested',
      subject: { kind: KIND.remoteDeployment, id: key },
      environment: command.to,
      ...(command.reason ? { reason: command.reason } : {}),
      data: {
        remoteId: remote.id,
        bundleId: command.bundle.id,
        version: manifest.version,
        status: remote.status,
        blobsSent: pushed.sent,
        blobsPresent: pushed.present,
      },
    })
    .commit();
  return remote;
}
