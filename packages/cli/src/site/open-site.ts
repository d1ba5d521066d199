import type { SiteRequest } from '../cli/deps.js';
import { socketPathOf } from '../holder/serve-store.js';
import { socketAnswers } from '../socket/socket-server.js';
import { socketSite } from '../socket/socket-site.js';
import { openLocalSite } from './local-site.js';
import type { Site } from './site.js';

/**
 * `--site`/config `site` → the agent; else, when a `railyard worker` (or `agent serve`) holds the
 * store and answers on its socket, that process; otherwise this process on the config's stores.
 */
export async function openSite(request: SiteRequest): Promise<Site> {
  // The HTTP client loads only for a remote site.
  if (request.url) return (await import('./remote-site.js')).openRemoteSite(request.url, request.env);
  const socket = socketPathOf(request.root);
  if (await socketAnswers(socket)) return socketSite(socket, (text) => request.note?.(text));
  return openLocalSite(request.config, request.root);
}
