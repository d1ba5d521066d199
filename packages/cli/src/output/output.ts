import { isRailyardError } from '@railyard/core/errors';
import { EXIT, type ExitCode, exitCodeOf, nextStepFor } from './exit-codes.js';
import { type Style, styleFor } from './style.js';

/** Where a command writes: stdout for results, stderr for errors and notes; the environment decides colour. */
export interface Streams {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** The JSON document `railyard --json` prints for an error (to stdout, so scripts read one document). */
export interface ErrorDocument {
  error: { code: string; message: string; next: string; exitCode: ExitCode; details: Record<string, unknown> };
}

/** How a command prints: human text (coloured on a TTY) or, with `--json`, one JSON document. */
export class Output {
  readonly style: Style;
  readonly errStyle: Style;

  constructor(
    private readonly streams: Streams,
    readonly json: boolean,
    readonly debug: boolean,
    color = true,
  ) {
    this.style = styleFor(streams.stdout, streams.env, color);
    this.errStyle = styleFor(streams.stderr, streams.env, color);
  }

  /** A command's result: `document` as JSON with `--json`, else the human text. */
  result(document: object, human: () => string): void {
    this.streams.stdout.write(this.json ? `${JSON.stringify(document, null, 2)}\n` : `${human()}\n`);
  }

  /** One line of a stream: a JSON line with `--json`, else the human text. */
  line(document: object, human: () => string): void {
    this.streams.stdout.write(this.json ? `${JSON.stringify(document)}\n` : `${human()}\n`);
  }

  /** A note for a person (stderr, never in JSON output). */
  note(text: string): void {
    if (!this.json) this.streams.stderr.write(`${text}\n`);
  }

  /** Prints an error (its code, message and what to do next; `--debug` adds the cause chain) and answers its exit code. */
  error(error: unknown): ExitCode {
    const known = isRailyardError(error);
    const code = known ? error.code : 'INTERNAL';
    const exitCode = !known
      ? EXIT.internal
      : error.details.declined
        ? EXIT.refused
        : error.details.integrity
          ? EXIT.integrity
          : exitCodeOf(error.code);
    const message = error instanceof Error ? error.message : String(error);
    const next = known
      ? nextStepFor(error.code)
      : 'This is a bug in railyard or the host code: rerun with --debug and report it.';
    if (this.json) {
      const document: ErrorDocument = {
        error: { code, message, next, exitCode, details: known ? error.details : {} },
      };
      this.streams.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    } else {
      const s = this.errStyle;
      this.streams.stderr.write(`${s.red(s.bold(`error ${code}`))}: ${message}\n${s.dim('next:')} ${next}\n`);
    }
    if (this.debug) this.streams.stderr.write(causeChain(error));
    return exitCode;
  }
}

function causeChain(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    lines.push(
      depth === 0 ? 'debug:' : 'caused by:',
      current instanceof Error ? (current.stack ?? current.message) : String(current),
    );
    current = current instanceof Error ? current.cause : undefined;
  }
  return `${lines.join('\n')}\n`;
}
