import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { JournalEntry, Railyard } from '@railyard/core';
import { ValidationError } from '@railyard/core/errors';
import type { BundleOps } from './bundle-ops.js';

/** {@link BundleOps} over a Railyard of this process (the socket server reuses it for its callers). */
export function localBundleOps(railyard: Railyard): BundleOps {
  const idOf = async (ref: string) => (await railyard.bundles.find(ref)).id;
  return {
    buildBundle: ({ dir, version, notes, by, onProgress }) =>
      railyard.bundles.build({
        dir,
        version,
        createdBy: by,
        ...(notes === undefined ? {} : { releaseNotes: notes }),
        ...(onProgress ? { onProgress } : {}),
      }),
    listBundles: ({ project }) => railyard.bundles.list(project ? { project } : {}),
    async showBundle(ref) {
      const bundle = await railyard.bundles.find(ref);
      return { bundle, signatures: await railyard.bundles.signatures(bundle.id) };
    },
    async diffBundles(fromRef, toRef) {
      const [from, to] = await Promise.all([idOf(fromRef), idOf(toRef)]);
      return { fromId: from, toId: to, ...(await railyard.bundles.diff(from, to)) };
    },
    async verifyBundle(ref) {
      const bundle = await idOf(ref);
      return { bundle, ...(await railyard.bundles.verify(bundle)) };
    },
    signBundle: async (ref, { keyId, privateKey, by }) =>
      railyard.bundles.sign(await idOf(ref), { keyId, privateKey, by }),
    async exportBundle(ref, { out, onProgress }) {
      const bundle = await idOf(ref);
      if (await stat(out).catch(() => null)) {
        throw new ValidationError(`${out} already exists; choose another --out, or remove it first.`);
      }
      const archive = await railyard.bundles.export(bundle, onProgress ? { onProgress } : {});
      // Write beside the target and rename, so a failed export never leaves a half archive under its name.
      const partial = `${out}.partial`;
      try {
        await pipeline(archive, createWriteStream(partial, { flags: 'wx', mode: 0o644 }));
        await rename(partial, out);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return { bundle, out, bytes: (await stat(out)).size };
    },
    importBundle: ({ file, by, trustedKeys, requireSignatures, onProgress }) =>
      railyard.bundles.import(createReadStream(file), {
        by,
        ...(trustedKeys ? { trustedKeys } : {}),
        ...(requireSignatures === undefined ? {} : { requireSignatures }),
        ...(onProgress ? { onProgress } : {}),
      }),
    async pushBundle(ref, { url, keyId, secret, onProgress }) {
      const bundle = await idOf(ref);
      // The HTTP client loads only for a push.
      const { httpTransport } = await import('@railyard/adapter-http');
      return railyard.bundles.push(bundle, {
        transport: httpTransport({ url, keyId, secret }),
        ...(onProgress ? { onProgress } : {}),
      });
    },
    verifyJournal: () => railyard.journal.verify(),
    async exportJournal({ since }) {
      const entries: JournalEntry[] = [];
      for await (const entry of railyard.journal.read()) if (!since || entry.at >= since) entries.push(entry);
      return entries;
    },
    gc: ({ dryRun, keep, by }) => railyard.bundles.gc({ dryRun, by, ...(keep === undefined ? {} : { keep }) }),
  };
}
