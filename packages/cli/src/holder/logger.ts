/** One structured log record of a long-running `railyard` process. */
export type LogFields = Record<string, unknown>;

/** Writes log records: JSON lines when the stream is not a terminal, readable lines when it is. */
export interface Logger {
  info(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/**
 * A logger on `stream`. Not on a TTY (a service manager, a container, a pipe) every record is one
 * JSON object per line: `{"at":"…","level":"info","event":"deployment.transition",…}`.
 */
export function createLogger(stream: NodeJS.WriteStream, now: () => number = Date.now): Logger {
  const write = (level: 'info' | 'error', event: string, fields: LogFields = {}) => {
    const at = new Date(now()).toISOString();
    if (!stream.isTTY) {
      stream.write(`${JSON.stringify({ at, level, event, ...fields })}\n`);
      return;
    }
    const detail = Object.entries(fields)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    stream.write(`${at.slice(11, 19)} ${level === 'error' ? 'ERROR ' : ''}${event}${detail ? ` ${detail}` : ''}\n`);
  };
  return {
    info: (event, fields) => write('info', event, fields),
    error: (event, fields) => write('error', event, fields),
  };
}
