#!/usr/bin/env node
import { confirm, isCancel } from '@clack/prompts';
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
    const answer = await confirm({ message: question, initialValue: false });
    return !isCancel(answer) && answer === true;
  },
  now: () => Date.now(),
});
process.exitCode = code;
