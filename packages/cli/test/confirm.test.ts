import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '#internal/program.js';
import { openSite } from '#internal/site/open-site.js';
import { storeBundles, tempProject, writeEnvironments } from './helpers/project.js';

const project = tempProject();
afterAll(project.cleanup);

/** A terminal stream: `isTTY` true, what is written kept as text. */
function terminal() {
  const stream = Object.assign(new PassThrough(), { isTTY: true });
  let text = '';
  stream.on('data', (chunk) => {
    text += chunk;
  });
  return { stream: stream as unknown as NodeJS.WriteStream & NodeJS.ReadStream, text: () => text };
}

/** Runs the program in this process as if on a terminal, answering each question with `answer`. */
async function onTerminal(answer: boolean, ...argv: string[]) {
  const stdout = terminal();
  const stderr = terminal();
  const questions: string[] = [];
  const code = await runCli(argv, {
    cwd: project.dir,
    env: { NO_COLOR: '1', RAILYARD_ROLES: 'ops' },
    stdin: terminal().stream,
    stdout: stdout.stream,
    stderr: stderr.stream,
    openSite,
    ask: async (question) => {
      questions.push(question);
      return answer;
    },
    now: () => Date.now(),
  });
  return { code, questions, stdout: stdout.text(), stderr: stderr.text() };
}

beforeAll(async () => {
  expect((await onTerminal(true, 'env', 'define', '--file', writeEnvironments(project.dir))).code).toBe(0);
  await storeBundles(project.dir, ['1.0.0', '1.1.0']);
  for (const bundle of ['churn@1.0.0', 'churn@1.1.0']) {
    expect((await onTerminal(true, '--as', 'alice', 'promote', bundle, '--to', 'staging')).code).toBe(0);
    expect((await onTerminal(true, '--as', 'alice', 'promote', bundle, '--to', 'production')).code).toBe(0);
  }
}, 60_000);

describe('confirmation on a terminal', () => {
  it('shows the deployment and its plan, asks, and a "no" exits 1 with nothing changed', async () => {
    const declined = await onTerminal(false, '--as', 'olivia', 'approve', 'production/000001');
    expect(declined.code).toBe(1);
    expect(declined.questions).toEqual(['Approve production/000001?']);
    expect(declined.stderr).toMatch(/production\/000001 {2}promotion of churn@1\.0\.0/);
    expect(declined.stderr).toMatch(/Plan: churn@1\.0\.0 → production/);
    expect(declined.stderr).toMatch(/error ABORTED: Declined at the prompt; nothing was changed\./);
    const still = await onTerminal(true, 'history', '--env', 'production', '--json');
    expect(JSON.parse(still.stdout).deployments.map((d: { status: string }) => d.status)).toEqual([
      'awaiting_approval',
      'awaiting_approval',
    ]);
  });

  it('a "yes" acts; --yes does not ask', async () => {
    const approved = await onTerminal(true, '--as', 'olivia', 'approve', 'production/000001');
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(/^Approved production\/000001/);
    const unasked = await onTerminal(false, '--as', 'olivia', 'approve', 'production/000002', '--yes');
    expect(unasked.code).toBe(0);
    expect(unasked.questions).toEqual([]);
  });
});
