import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './helpers/built-binary.js';
import { OpsDocuments } from './helpers/ops-schemas.js';
import { tempProject } from './helpers/project.js';
import { railyard } from './helpers/run-cli.js';

const project = tempProject();
const dir = project.dir;
const run = (...args: string[]) => railyard(dir, ['--as', 'alice', ...args]);

beforeAll(async () => {
  await ensureBuilt();
  writeFileSync(join(dir, 'railyard.project.json'), JSON.stringify({ project: 'churn' }));
  writeFileSync(join(dir, 'model.bin'), 'weights');
  writeFileSync(join(dir, 'staging.json'), JSON.stringify({ id: 'staging' }));
  expect((await run('env', 'define', '--file', 'staging.json')).code).toBe(0);
  expect((await run('bundle', 'build', '--version', '1.0.0')).code).toBe(0);
  expect((await run('promote', 'churn@1.0.0', '--to', 'staging')).code).toBe(0);
}, 120_000);
afterAll(project.cleanup);

describe('railyard journal', () => {
  it('verify re-hashes the chain and reports its head', async () => {
    const verified = await run('journal', 'verify', '--json');
    expect(verified.code).toBe(0);
    const { verification } = OpsDocuments.journalVerification.parse(verified.json());
    expect(verification.entries).toBeGreaterThan(3);
    expect(verification.head.seq).toBe(verification.entries);
    expect((await run('journal', 'verify')).stdout).toMatch(
      /^The journal of this site is intact: \d+ entries, head \d+ [0-9a-f]{64}\.$/m,
    );
  });

  it('export prints every entry as a JSON line, oldest first; --since filters; a bad format is refused', async () => {
    const all = (await run('journal', 'export', '--format', 'jsonl')).stdout.trim().split('\n');
    const entries = all.map((line) => OpsDocuments.journalLine.parse(JSON.parse(line)));
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(entries.some((e) => e.type.startsWith('deployment.'))).toBe(true);
    const future = await run('journal', 'export', '--since', '2999-01-01T00:00:00Z');
    expect(future.code).toBe(0);
    expect(future.stdout).toBe('');
    const recent = (await run('journal', 'export', '--since', '1h')).stdout.trim().split('\n');
    expect(recent).toHaveLength(entries.length);
    expect((await run('journal', 'export', '--format', 'csv')).code).toBe(2);
    expect((await run('journal', 'export', '--since', 'yesterday')).code).toBe(2);
  });

  it('verify --offline checks a copy of a store without opening it, and names the damage (exit 5)', async () => {
    const state = join(dir, '.railyard/state');
    const intact = await railyard(dir, ['journal', 'verify', '--offline', state, '--json']);
    expect(intact.code).toBe(0);
    expect(OpsDocuments.journalVerification.parse(intact.json()).verification.entries).toBeGreaterThan(3);

    const damaged = tempProject();
    try {
      cpSync(state, damaged.dir, { recursive: true });
      const log = join(damaged.dir, 'log.ndjson');
      const lines = readFileSync(log, 'utf8').split('\n');
      // Change what an early commit recorded: its checksum no longer holds.
      lines[1] = (lines[1] as string).replace('"alice"', '"mallory"');
      writeFileSync(log, lines.join('\n'));
      const before = readFileSync(log);
      const found = await railyard(dir, ['journal', 'verify', '--offline', damaged.dir, '--json']);
      expect(found.code).toBe(5);
      const { error } = OpsDocuments.error.parse(found.json());
      expect(error.message).toContain(damaged.dir);
      expect(error.details.integrity).toBe(true);
      expect(readFileSync(log)).toEqual(before);
    } finally {
      damaged.cleanup();
    }
    expect((await railyard(dir, ['journal', 'verify', '--offline', join(dir, 'nowhere')])).code).toBe(3);
  });
});

describe('railyard gc', () => {
  it('--dry-run reports and removes nothing; a bad --keep is refused', async () => {
    const dry = await run('gc', '--dry-run', '--json');
    expect(dry.code).toBe(0);
    const result = OpsDocuments.gc.parse(dry.json());
    expect(result).toMatchObject({ dryRun: true, removedBundles: [], removedBlobs: [] });
    expect(result.keptBundles).toBe(1);
    expect((await run('gc', '--dry-run')).stdout).toMatch(
      /^Would remove 0 bundle\(s\) and 0 blob\(s\); 1 bundle\(s\) kept\./,
    );
    expect((await run('gc', '--keep', '-1')).code).toBe(2);
    expect(OpsDocuments.bundles.parse((await run('bundle', 'list', '--json')).json()).bundles).toHaveLength(1);
  });
});

describe('railyard completion', () => {
  it('prints a bash script bash accepts, and zsh and fish scripts naming every command; other shells are refused', async () => {
    const bash = await run('completion', 'bash');
    expect(bash.code).toBe(0);
    expect(() => execFileSync('bash', ['-n'], { input: bash.stdout })).not.toThrow();
    expect(bash.stdout).toContain("'bundle') words='build list show diff verify sign export import");
    expect(bash.stdout).toContain('complete -o default -F _railyard railyard');
    // bash completes what follows `railyard bundle`.
    const words = execFileSync(
      'bash',
      ['-c', `${bash.stdout}\nCOMP_WORDS=(railyard bundle b); COMP_CWORD=2; _railyard; echo "\${COMPREPLY[@]}"`],
      {
        encoding: 'utf8',
      },
    );
    expect(words.trim()).toBe('build');
    const zsh = await run('completion', 'zsh');
    expect(zsh.stdout).toMatch(/^#compdef railyard/);
    const fish = await run('completion', 'fish');
    expect(fish.stdout).toContain("complete -c railyard -n '__fish_seen_subcommand_from bundle' -a build");
    expect(fish.stdout).toContain("complete -c railyard -n '__fish_seen_subcommand_from journal' -a verify");
    expect((await run('completion', 'powershell')).code).toBe(2);
  });
});
