import type { Command } from 'commander';
import { completionScript, SHELLS, type Shell } from '../cli/completion-scripts.js';
import type { CliDeps } from '../cli/deps.js';
import { examples } from '../cli/examples.js';
import { usageError } from '../output/usage-error.js';

/** `completion bash|zsh|fish`: prints a shell completion script. */
export function registerCompletion(program: Command, deps: CliDeps): void {
  const completion = program
    .command('completion <shell>')
    .description(`print a completion script for ${SHELLS.join(', ')}`)
    .action((shell: string) => {
      if (!SHELLS.includes(shell as Shell))
        throw usageError(`No completion for "${shell}"; use one of ${SHELLS.join(', ')}.`);
      deps.stdout.write(completionScript(program, shell as Shell));
    });
  examples(
    completion,
    'eval "$(railyard completion bash)"',
    'railyard completion fish > ~/.config/fish/completions/railyard.fish',
  );
}
