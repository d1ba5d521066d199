import { createRailyard, fileBlobStore, fileStateStore, type Railyard } from '@railyard/core';
import { defineDemoEnvironments, demoProbes, demoSteps } from './setup.js';

/** A Railyard on the embedded file store in `dir`, with the demo's step types, probes and environments. */
export async function openSite(dir: string): Promise<Railyard> {
  const railyard = createRailyard({
    store: await fileStateStore({ dir: `${dir}/state` }),
    blobs: fileBlobStore({ dir: `${dir}/blobs` }),
    idleMs: 100,
    steps: demoSteps,
    probes: demoProbes,
  });
  await defineDemoEnvironments(railyard);
  return railyard;
}
