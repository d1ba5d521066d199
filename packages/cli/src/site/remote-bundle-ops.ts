import type { BundleOps } from './bundle-ops.js';

/**
 * What a site's agent offers of {@link BundleOps}: none of it. Bundles reach production by
 * `promote` from the design site (which pushes them) or as an archive imported there.
 */
export function remoteBundleOps(unsupported: (what: string) => () => Promise<never>): BundleOps {
  return {
    buildBundle: unsupported('Building a bundle'),
    listBundles: unsupported('Listing bundles'),
    showBundle: unsupported('Showing a bundle'),
    diffBundles: unsupported('Diffing bundles'),
    verifyBundle: unsupported('Verifying a bundle'),
    signBundle: unsupported('Signing a bundle'),
    exportBundle: unsupported('Exporting a bundle'),
    importBundle: unsupported('Importing a bundle'),
    pushBundle: unsupported('Pushing a bundle from the remote site'),
    verifyJournal: unsupported('Verifying the journal'),
    exportJournal: unsupported('Exporting the journal'),
    gc: unsupported('Garbage collection'),
  };
}
