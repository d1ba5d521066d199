import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const descriptor = {
  project: 'churn-model',
  kinds: { model: ['models/**'], pipeline: ['pipelines/*.sql'], config: ['*.yaml'] },
  exclude: ['**/*.tmp'],
  requirements: { variables: ['REGION'], connections: ['warehouse'], stepTypes: [] },
  scenarios: [{ id: 'smoke', steps: [{ type: 'noop', params: {} }] }],
  localVariables: { SAMPLE_ROWS: '1000' },
};

/** Writes a small project directory and returns its path and a cleanup. */
export async function writeProject(files: Record<string, string | Uint8Array>, project: unknown = descriptor) {
  const dir = await mkdtemp(join(tmpdir(), 'railyard-project-'));
  const all: Record<string, string | Uint8Array> = { 'railyard.project.json': JSON.stringify(project), ...files };
  for (const [path, content] of Object.entries(all)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const baseFiles = {
  'models/churn.onnx': 'weights-v1',
  'pipelines/score.sql': 'select 1',
  'settings.yaml': 'threshold: 0.5',
  'notes/readme.md': 'hello',
  'scratch.tmp': 'ignored',
  '.git/HEAD': 'ref: main',
};
