import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import type { CliDeps } from '../cli/deps.js';
import { examples } from '../cli/examples.js';
import { outputOf } from '../cli/session.js';
import { usageError } from '../output/usage-error.js';

const CONFIG = `// railyard.config.ts: what the \`railyard\` command line runs with (see docs/cli.md).
// With \`import { defineConfig } from '@railyard/cli'\` you may write \`export default defineConfig({ ... })\`.
import type { RailyardConfig } from '@railyard/cli';

export default {
  // Where state and bundle bytes live. Leave both out for file stores in ./.railyard/ (one process
  // at a time); use @railyard/adapter-postgres and @railyard/adapter-s3 for a shared site.
  // store: () => postgresStateStore({ connectionString: process.env.DATABASE_URL }),
  // blobs: () => s3BlobStore({ bucket: 'railyard-bundles' }),

  // Local actors and their roles: \`railyard --as olivia approve …\` acts as olivia with role ops.
  // Anyone who can run railyard here can claim any of them: local file access is full trust.
  actors: {
    alice: ['dev'],
    olivia: ['ops'],
  },

  // Environments \`railyard env define\` (without --file) defines.
  environments: [
    { id: 'staging' },
    {
      id: 'production',
      promotesFrom: ['staging'],
      policy: { approvals: { required: 1, roles: ['ops'] }, operatorRoles: ['ops'] },
    },
  ],

  // Your step types and monitor probes, by name (used by verification and \`railyard scenarios run\`).
  // steps: { 'http-check': defineStep({ ... }) },
  // probes: { 'error-rate': ({ snapshot }) => 'pass' },

  // A production site's agent: every command then talks to it (like --site).
  // site: 'https://railyard.prod.example:8443',
} satisfies RailyardConfig;
`;

function projectName(cwd: string): string {
  let name = basename(cwd);
  try {
    const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { name?: unknown };
    if (typeof pkg.name === 'string') name = pkg.name.replace(/^@[^/]+\//, '');
  } catch {
    // No package.json: the directory's name will do.
  }
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'project';
}

/** `railyard init`: a commented railyard.config.ts and a railyard.project.json; never overwrites. */
export function registerInit(program: Command, deps: CliDeps): void {
  const init = program
    .command('init')
    .description('write a commented railyard.config.ts and a railyard.project.json here (never overwrites)')
    .option('--project <name>', 'the project name (default: package.json name, else the directory name)')
    .action((options: { project?: string }, command: Command) => {
      const out = outputOf(deps, command);
      const config = join(deps.cwd, 'railyard.config.ts');
      const descriptor = join(deps.cwd, 'railyard.project.json');
      const existing = [config, descriptor].filter((file) => existsSync(file));
      if (existing.length > 0)
        throw usageError(`init refuses to overwrite ${existing.join(' and ')}; remove or edit it instead.`);
      const project = {
        project: options.project ?? projectName(deps.cwd),
        kinds: { model: ['models/**'], pipeline: ['pipelines/**'], config: ['*.yaml', '*.json'] },
        exclude: ['**/*.tmp'],
        requirements: { variables: [], connections: [], stepTypes: [] },
      };
      writeFileSync(config, CONFIG, { flag: 'wx' });
      writeFileSync(descriptor, `${JSON.stringify(project, null, 2)}\n`, { flag: 'wx' });
      out.result({ created: [config, descriptor], project: project.project }, () =>
        [
          `Created ${config}`,
          `Created ${descriptor} (project "${project.project}")`,
          'Next: railyard env define, then build a bundle and `railyard promote <bundle> --to <env>`.',
        ].join('\n'),
      );
    });
  examples(init, 'railyard init', 'railyard init --project churn-model');
}
