import type { SiteRequest } from '../cli/deps.js';
import { openLocalSite } from './local-site.js';
import type { Site } from './site.js';

/** `--site`/config `site` → the agent; otherwise this process on the config's stores. */
export async function openSite(request: SiteRequest): Promise<Site> {
  // The HTTP client loads only for a remote site.
  if (request.url) return (await import('./remote-site.js')).openRemoteSite(request.url, request.env);
  return openLocalSite(request.config, request.root);
}
