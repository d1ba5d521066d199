import type { SiteRequest } from '../cli/deps.js';
import { openLocalSite } from './local-site.js';
import { openRemoteSite } from './remote-site.js';
import type { Site } from './site.js';

/** `--site`/config `site` → the agent; otherwise this process on the config's stores. */
export async function openSite(request: SiteRequest): Promise<Site> {
  if (request.url) return openRemoteSite(request.url, request.env);
  return openLocalSite(request.config, request.root);
}
