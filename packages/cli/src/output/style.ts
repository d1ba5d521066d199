import pc from 'picocolors';

/** The colours `railyard` uses: real ones on a TTY without NO_COLOR, plain text otherwise. */
export type Style = ReturnType<typeof pc.createColors>;

/** Colour only on a TTY, never with NO_COLOR or `--no-color` (nor with FORCE_COLOR=0). */
export function styleFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv, allowed = true): Style {
  const enabled =
    allowed && Boolean(stream.isTTY) && !('NO_COLOR' in env) && env.FORCE_COLOR !== '0' && env.TERM !== 'dumb';
  return pc.createColors(enabled);
}
