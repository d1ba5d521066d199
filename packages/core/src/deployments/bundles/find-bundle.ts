import { NotFoundError, ValidationError } from '../../errors/errors.js';
import type { BundleRecord } from '../../model/bundle.js';
import type { EngineContext } from '../../runtime/context.js';
import { getBundle, listBundles } from './bundles.js';

const FULL_ID = /^sha256:[0-9a-f]{64}$/;
const PREFIX = /^(sha256:)?[0-9a-f]{4,64}$/;

/**
 * A bundle named as a person types it: its id (`sha256:…`), a unique prefix of the id (at least 4
 * hex digits, with or without `sha256:`), or `project@version`.
 * @internal
 */
export async function findBundle(context: EngineContext, ref: string): Promise<BundleRecord> {
  if (typeof ref !== 'string' || ref.trim() === '')
    throw new ValidationError('bundles.find: name a bundle by id, id prefix or project@version.');
  const name = ref.trim();
  if (FULL_ID.test(name)) {
    const bundle = await getBundle(context, name);
    if (!bundle) throw new NotFoundError('bundle', name, 'List the bundles with railyard.bundles.list().');
    return bundle;
  }
  const at = name.lastIndexOf('@');
  if (at > 0) {
    const project = name.slice(0, at);
    const version = name.slice(at + 1);
    const match = (await listBundles(context, { project })).filter((b) => b.manifest.version === version);
    // Two bundles of one project@version can exist (different content): the name is then ambiguous.
    return single(match, name);
  }
  if (!PREFIX.test(name))
    throw new ValidationError(
      `bundles.find: "${name}" is neither a bundle id, an id prefix (4+ hex digits) nor project@version.`,
      { details: { ref: name } },
    );
  const prefix = name.startsWith('sha256:') ? name : `sha256:${name}`;
  return single(
    (await listBundles(context)).filter((b) => b.id.startsWith(prefix)),
    name,
  );
}

function single(match: BundleRecord[], name: string): BundleRecord {
  if (match.length === 0) throw new NotFoundError('bundle', name, 'List the bundles with railyard.bundles.list().');
  if (match.length > 1)
    throw new ValidationError(
      `bundles.find: "${name}" names ${match.length} bundles (${match.map((b) => b.id.slice(0, 19)).join(', ')}); give more of the id.`,
      { details: { ref: name, matches: match.map((b) => b.id) } },
    );
  return match[0] as BundleRecord;
}
