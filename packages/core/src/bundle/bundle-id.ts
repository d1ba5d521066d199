import type { BundleManifest } from '../model/bundle.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';

/**
 * A bundle's id: `sha256:` + the sha256 of its manifest's canonical JSON. Change one byte of one
 * entry and the id changes.
 *
 * @example
 * ```ts
 * bundleId(manifest); // 'sha256:9f86d08…'
 * ```
 */
export function bundleId(manifest: BundleManifest): string {
  return `sha256:${sha256Hex(canonicalJson(manifest))}`;
}

/** Whether two manifests have the same content, ignoring when each was made. */
export function sameContent(a: BundleManifest, b: BundleManifest): boolean {
  return canonicalJson({ ...a, createdAt: '' }) === canonicalJson({ ...b, createdAt: '' });
}
