#!/usr/bin/env node
import { runCli } from './program.js';
import { openSite } from './site/open-site.js';

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  openSite,
  ask: async (question) => {
    // Loaded only when a person is asked: most runs never are.
    const { confirm, isCancel } = await import('@clack/prompts');
    const answer = await confirm({ message: question, initialValue: false });
    return !isCancel(answer) && answer === true;
  },
  now: () => Date.now(),
});
process.exitCode = code;
