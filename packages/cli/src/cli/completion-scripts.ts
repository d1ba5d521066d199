import type { Command } from 'commander';

/** The shells `railyard completion` writes a script for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
/** One of {@link SHELLS}. */
export type Shell = (typeof SHELLS)[number];

interface Node {
  path: string[];
  description: string;
  children: Node[];
  flags: string[];
}

function treeOf(command: Command, path: string[] = []): Node {
  return {
    path,
    description: command.description(),
    children: command.commands
      .filter((child) => child.name() !== 'help')
      .map((child) => treeOf(child, [...path, child.name()])),
    flags: command.options.filter((o) => !o.hidden).flatMap((o) => [o.long, o.short].filter((f): f is string => !!f)),
  };
}

function walk(node: Node, visit: (node: Node) => void): void {
  visit(node);
  for (const child of node.children) walk(child, visit);
}

const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

function bash(root: Node): string {
  const paths: string[] = [];
  const cases: string[] = [];
  walk(root, (node) => {
    paths.push(node.path.join(' '));
    const words = [
      ...node.children.map((c) => c.path.at(-1) as string),
      ...node.flags,
      ...(node === root ? [] : root.flags),
    ];
    cases.push(`    ${quote(node.path.join(' '))}) words=${quote(words.join(' '))} ;;`);
  });
  return `# railyard completion for bash: eval "$(railyard completion bash)"
_railyard() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" word candidate words="" i
  local known=${quote(`|${paths.join('|')}|`)}
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    [[ "$word" == -* ]] && continue
    candidate="\${path:+$path }$word"
    [[ "$known" == *"|$candidate|"* ]] && path="$candidate"
  done
  case "$path" in
${cases.join('\n')}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _railyard railyard
`;
}

function zsh(root: Node): string {
  return `#compdef railyard
# railyard completion for zsh: eval "$(railyard completion zsh)" (uses zsh's bash completion support)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bash(root).split('\n').slice(1).join('\n')}`;
}

function fish(root: Node): string {
  const lines = [
    '# railyard completion for fish: railyard completion fish > ~/.config/fish/completions/railyard.fish',
    'complete -c railyard -f',
  ];
  for (const flag of root.flags.filter((f) => f.startsWith('--')))
    lines.push(`complete -c railyard -l ${flag.slice(2)}`);
  walk(root, (node) => {
    const condition =
      node === root ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${node.path.at(-1) as string}`;
    for (const child of node.children) {
      lines.push(
        `complete -c railyard -n ${quote(condition)} -a ${child.path.at(-1) as string} -d ${quote(child.description)}`,
      );
    }
    if (node === root) return;
    for (const flag of node.flags.filter((f) => f.startsWith('--'))) {
      lines.push(`complete -c railyard -n ${quote(condition)} -l ${flag.slice(2)}`);
    }
  });
  return `${lines.join('\n')}\n`;
}

/** A completion script for `shell` listing every command, subcommand and flag of `program`. */
export function completionScript(program: Command, shell: Shell): string {
  const root = treeOf(program);
  return { bash, zsh, fish }[shell](root);
}
