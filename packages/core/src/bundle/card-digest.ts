import type { ProjectCard } from '../model/project-card.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';

/**
 * A project card's digest: `sha256:` + the sha256 of its canonical JSON. A handover acceptance is
 * bound to it, so changing one word of the card asks for a new look.
 *
 * @example
 * ```ts
 * cardDigest(manifest.card); // 'sha256:…'
 * ```
 */
export function cardDigest(card: ProjectCard): string {
  return `sha256:${sha256Hex(canonicalJson(card))}`;
}
