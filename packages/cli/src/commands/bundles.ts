import { readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import type { BundleRecord } from '@railyard/core';
import { BlobIntegrityError } from '@railyard/core/errors';
import type { Command } from 'commander';
import type { CliDeps } from '../cli/deps.js';
import { examples } from '../cli/examples.js';
import { type GlobalOptions, outputOf, withSession } from '../cli/session.js';
import { loadConfig } from '../config/load-config.js';
import { formatBytes, progressDisplay } from '../output/progress-display.js';
import { table } from '../output/table.js';
import { when } from '../output/time.js';
import { usageError } from '../output/usage-error.js';

const short = (id: string) => id.slice(0, 'sha256:'.length + 12);
const totalSize = (bundle: BundleRecord) => bundle.manifest.entries.reduce((sum, entry) => sum + entry.size, 0);

function bundleText(bundle: BundleRecord, now: number): string {
  const m = bundle.manifest;
  return [
    `${m.project}@${m.version}  ${bundle.id}`,
    `created by ${m.createdBy} ${when(m.createdAt, now)}`,
    `${m.entries.length} files, ${formatBytes(totalSize(bundle))}`,
    ...(m.releaseNotes ? [`notes: ${m.releaseNotes}`] : []),
  ].join('\n');
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `--trust keyId=file` pairs → `{ keyId: pem }`. */
async function readTrustedKeys(pairs: string[], cwd: string): Promise<Record<string, string>> {
  const keys: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw usageError(`--trust ${pair}: write it as <keyId>=<public key file>.`);
    const path = resolve(cwd, pair.slice(at + 1));
    keys[pair.slice(0, at)] = await readFile(path, 'utf8').catch((error: Error) => {
      throw usageError(`Cannot read the public key ${path}: ${error.message}.`);
    });
  }
  return keys;
}

/** `bundle build|list|show|diff|verify|sign|export|import`: immutable snapshots of a project. */
export function registerBundles(program: Command, deps: CliDeps): void {
  const bundle = program.command('bundle').description('build, inspect, sign and move bundles');

  const build = bundle
    .command('build [dir]')
    .description('build a bundle from a project directory with a railyard.project.json (default: .)')
    .requiredOption('--version <semver>', 'the version of this bundle, e.g. 1.4.0')
    .option('--notes <text>', 'release notes')
    .action((dir: string | undefined, options: { version: string; notes?: string }, command: Command) =>
      withSession(deps, command, async ({ site, out, by, now }) => {
        const display = progressDisplay(deps, 'build', { json: out.json });
        const built = await site
          .buildBundle({
            dir: resolve(deps.cwd, dir ?? '.'),
            version: options.version,
            by,
            ...(options.notes === undefined ? {} : { notes: options.notes }),
            onProgress: (progress) => display.update(progress),
          })
          .finally(() => display.stop());
        out.result({ bundle: built }, () => `Built ${bundleText(built, now)}`);
      }),
    );
  examples(
    build,
    'railyard bundle build --version 1.4.0',
    'railyard bundle build ./churn --version 1.4.0 --notes "Q3 retrain"',
  );

  const list = bundle
    .command('list')
    .description('list bundles, newest first')
    .option('--project <name>', 'only this project')
    .action((options: { project?: string }, command: Command) =>
      withSession(deps, command, async ({ site, out, now }) => {
        const bundles = (await site.listBundles(options.project ? { project: options.project } : {})).sort((a, b) =>
          a.manifest.createdAt < b.manifest.createdAt ? 1 : -1,
        );
        out.result({ bundles }, () =>
          bundles.length === 0
            ? 'No bundles. Build one with `railyard bundle build --version 1.0.0`.'
            : table(bundles, [
                { heading: 'bundle', cell: (b) => `${b.manifest.project}@${b.manifest.version}` },
                { heading: 'id', cell: (b) => short(b.id) },
                { heading: 'files', cell: (b) => String(b.manifest.entries.length) },
                { heading: 'size', cell: (b) => formatBytes(totalSize(b)) },
                { heading: 'by', cell: (b) => b.manifest.createdBy },
                { heading: 'created', cell: (b) => when(b.manifest.createdAt, now) },
              ]),
        );
      }),
    );
  examples(list, 'railyard bundle list', 'railyard bundle list --project churn --json');

  const show = bundle
    .command('show <bundle>')
    .description('a bundle (id, id prefix or project@version): manifest, files and signatures')
    .action((ref: string, _options: unknown, command: Command) =>
      withSession(deps, command, async ({ site, out, now }) => {
        const shown = await site.showBundle(ref);
        out.result(shown, () =>
          [
            bundleText(shown.bundle, now),
            '',
            table(shown.bundle.manifest.entries, [
              { heading: 'path', cell: (e) => e.path },
              { heading: 'kind', cell: (e) => e.kind ?? '' },
              { heading: 'size', cell: (e) => formatBytes(e.size) },
              { heading: 'digest', cell: (e) => short(e.digest) },
            ]),
            '',
            shown.signatures.length === 0
              ? 'No signatures.'
              : `Signed by: ${shown.signatures.map((s) => `${s.keyId} (${s.signedBy})`).join(', ')}`,
          ].join('\n'),
        );
      }),
    );
  examples(show, 'railyard bundle show churn@1.4.0', 'railyard bundle show sha256:9f86d081 --json');

  const diff = bundle
    .command('diff <from> <to>')
    .description('what changed between two bundles')
    .action((from: string, to: string, _options: unknown, command: Command) =>
      withSession(deps, command, async ({ site, out }) => {
        const result = await site.diffBundles(from, to);
        out.result({ diff: result }, () => result.text);
      }),
    );
  examples(diff, 'railyard bundle diff churn@1.3.0 churn@1.4.0');

  const verify = bundle
    .command('verify <bundle>')
    .description('re-read every blob of a bundle and check digests and sizes (exit 5 when damaged)')
    .action((ref: string, _options: unknown, command: Command) =>
      withSession(deps, command, async ({ site, out }) => {
        const result = await site.verifyBundle(ref);
        if (!result.ok) {
          const problems = result.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
          throw new BlobIntegrityError(
            { bundleId: result.bundle, problems: result.problems },
            `${result.bundle} is damaged: ${problems}. Restore the blobs from a backup, or import the bundle again from an archive.`,
          );
        }
        out.result(
          { verification: result },
          () =>
            `${result.bundle}: ${result.checked} files, ${formatBytes(result.bytes)}, every blob matches its digest and size.`,
        );
      }),
    );
  examples(verify, 'railyard bundle verify churn@1.4.0');

  const sign = bundle
    .command('sign <bundle>')
    .description('sign a bundle with an ed25519 private key (PEM); the key is used, never stored')
    .requiredOption('--key <file>', 'the private key, PEM (e.g. openssl genpkey -algorithm ed25519)')
    .option('--key-id <id>', 'the key id recorded with the signature (default: the file name without extension)')
    .action((ref: string, options: { key: string; keyId?: string }, command: Command) =>
      withSession(deps, command, async ({ site, out, by }) => {
        const path = resolve(deps.cwd, options.key);
        const privateKey = await readFile(path, 'utf8').catch((error: Error) => {
          throw usageError(`Cannot read the key file ${path}: ${error.message}. Pass a readable PEM file to --key.`);
        });
        const keyId = options.keyId ?? basename(path, extname(path));
        const signature = await site.signBundle(ref, { keyId, privateKey, by });
        out.result({ signature }, () => `Signed ${signature.bundleId} with ${signature.keyId}.`);
      }),
    );
  examples(sign, 'railyard bundle sign churn@1.4.0 --key release-2026.pem');

  const exportCommand = bundle
    .command('export <bundle>')
    .description('write a bundle, its signatures and blobs as one tar archive (for air-gapped sites)')
    .requiredOption('--out <file.tar>', 'the archive to write (must not exist)')
    .action((ref: string, options: { out: string }, command: Command) =>
      withSession(deps, command, async ({ site, out }) => {
        const display = progressDisplay(deps, 'export', { json: out.json });
        const result = await site
          .exportBundle(ref, { out: resolve(deps.cwd, options.out), onProgress: (p) => display.update(p) })
          .finally(() => display.stop());
        out.result({ export: result }, () => `Wrote ${result.bundle} to ${result.out} (${formatBytes(result.bytes)}).`);
      }),
    );
  examples(exportCommand, 'railyard bundle export churn@1.4.0 --out churn-1.4.0.tar');

  const importCommand = bundle
    .command('import <file>')
    .description('import a bundle archive: streamed, bounded and verified before anything is stored')
    .option('--trust <keyId=file>', 'trust this public key (PEM) for signatures; repeatable', collect, [])
    .option('--require-signatures <n>', 'refuse the archive unless this many trusted keys signed it')
    .action((file: string, options: { trust: string[]; requireSignatures?: string }, command: Command) =>
      withSession(deps, command, async ({ site, out, by, now }) => {
        const trustedKeys = await readTrustedKeys(options.trust, deps.cwd);
        const required = options.requireSignatures === undefined ? undefined : Number(options.requireSignatures);
        if (required !== undefined && !(Number.isInteger(required) && required >= 0))
          throw usageError(`--require-signatures ${options.requireSignatures} is not a whole number.`);
        const display = progressDisplay(deps, 'import', { json: out.json });
        const imported = await site
          .importBundle({
            file: resolve(deps.cwd, file),
            by,
            ...(options.trust.length > 0 ? { trustedKeys } : {}),
            ...(required === undefined ? {} : { requireSignatures: required }),
            onProgress: (p) => display.update(p),
          })
          .finally(() => display.stop());
        out.result({ bundle: imported }, () => `Imported ${bundleText(imported, now)}`);
      }),
    );
  examples(
    importCommand,
    'railyard bundle import churn-1.4.0.tar',
    'railyard bundle import churn-1.4.0.tar --trust release-2026=release-2026.pub.pem --require-signatures 1',
  );

  const push = bundle
    .command('push <bundle>')
    .description("send a bundle to a production site's agent (--site) without promoting it; only missing blobs travel")
    .action((ref: string, _options: unknown, command: Command) => pushAction(deps, command, ref));
  examples(
    push,
    'RAILYARD_KEY_ID=design-site RAILYARD_KEY_SECRET=… railyard bundle push churn@1.4.0 --site https://railyard.prod.example.com',
  );
}

/** `bundle push`: reads the bundle here (this process or the worker), sends it to `--site`. */
async function pushAction(deps: CliDeps, command: Command, ref: string): Promise<void> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const out = outputOf(deps, command);
  const loaded = await loadConfig(deps.cwd, globals.config);
  const url = globals.site ?? loaded.config.site;
  if (!url) throw usageError('bundle push needs the site to push to: pass --site <url> (or set `site` in the config).');
  const keyId = deps.env.RAILYARD_KEY_ID;
  const secret = deps.env.RAILYARD_KEY_SECRET;
  if (!keyId || !secret) {
    throw usageError(
      `Pushing to ${url} needs its key: set RAILYARD_KEY_ID and RAILYARD_KEY_SECRET in the environment.`,
    );
  }
  // The bundle is read here, so the site opened is this one (or the worker holding it), not --site.
  const site = await deps.openSite({
    config: loaded.config,
    root: loaded.root,
    env: deps.env,
    note: (text) => out.note(text),
  });
  try {
    const display = progressDisplay(deps, 'push', { json: out.json });
    const pushed = await site
      .pushBundle(ref, { url, keyId, secret, onProgress: (p) => display.update(p) })
      .finally(() => display.stop());
    out.result(
      { push: pushed },
      () =>
        `Pushed ${pushed.bundleId} to ${url}: ${pushed.blobsSent} blob(s) sent (${formatBytes(pushed.bytesSent)}), ${pushed.blobsPresent} already there, ${pushed.signaturesSent} signature(s).`,
    );
  } finally {
    await site.close();
  }
}
