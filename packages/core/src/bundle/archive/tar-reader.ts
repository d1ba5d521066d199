import tar, { type Extract } from 'tar-stream';
import { ArchiveError, RailyardError, ValidationError } from '../../errors/errors.js';
import { NOTHING_IMPORTED } from './format.js';

/**
 * An archive as `bundles.import` reads it: bytes, or any stream of byte chunks (a Node `Readable`
 * such as `fs.createReadStream(path)`, a web `ReadableStream`, an async generator).
 *
 * @example
 * ```ts
 * const source: ArchiveSource = createReadStream('churn-1.0.0.railyard.tar');
 * ```
 */
export type ArchiveSource = Uint8Array | AsyncIterable<Uint8Array>;

/**
 * What an import looks at in a tar header. `type` and `linkname` may be `null` at run time for
 * unknown type flags and plain files, whatever tar-stream's declared types say.
 * @internal
 *
 * @example
 * ```ts
 * const header: TarHeader = { name: 'manifest.json', size: 812, type: 'file', linkname: null };
 * ```
 */
export interface TarHeader {
  name: string;
  size: number;
  type: string | null;
  linkname: string | null;
}

/**
 * One tar entry: its header and its bytes, which must be read to the end before the next.
 * @internal
 *
 * @example
 * ```ts
 * for await (const { header, body } of readTarEntries(source, limit)) for await (const chunk of body) use(chunk);
 * ```
 */
export interface TarEntry {
  header: TarHeader;
  body: AsyncIterable<Uint8Array>;
}

/** Turns what tar-stream or the source threw into a typed refusal. */
function archiveError(error: unknown): RailyardError {
  if (error instanceof RailyardError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/unexpected end of data/i.test(message)) {
    return new ArchiveError(
      'truncated',
      `The archive ends in the middle of an entry: it is truncated (an interrupted copy, or a size larger than the data). ${NOTHING_IMPORTED}`,
      {},
      { cause: error },
    );
  }
  return new ArchiveError(
    'malformed',
    `The archive is not a valid tar stream (${message}). Bundle archives are plain, uncompressed tar files; ${NOTHING_IMPORTED}`,
    {},
    { cause: error },
  );
}

class SourceError extends Error {}

function waitForDrain(extract: Extract): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      extract.off('drain', done);
      extract.off('close', done);
      resolve();
    };
    extract.on('drain', done);
    extract.on('close', done);
  });
}

/** Feeds the source into the parser with backpressure, counting every byte against the cap. */
async function pump(source: ArchiveSource, extract: Extract, maxTotalBytes: number): Promise<void> {
  let total = 0;
  try {
    const chunks = source instanceof Uint8Array ? [source] : source;
    for await (const chunk of chunks) {
      if (extract.destroyed) return;
      if (!(chunk instanceof Uint8Array)) {
        throw new ValidationError(
          'bundles.import: the source yielded text, not bytes; open the archive without an encoding.',
        );
      }
      total += chunk.byteLength;
      if (total > maxTotalBytes) {
        throw new ArchiveError(
          'archive-too-large',
          `The archive is larger than the limit of ${maxTotalBytes} bytes. Raise limits.maxTotalBytes if the archive is trusted; ${NOTHING_IMPORTED}`,
          { limit: maxTotalBytes, readAtLeast: total },
        );
      }
      if (!extract.write(chunk)) await waitForDrain(extract);
    }
    extract.end(null);
  } catch (error) {
    const typed =
      error instanceof RailyardError
        ? error
        : new ArchiveError(
            'unreadable',
            `The archive could not be read: ${error instanceof Error ? error.message : String(error)}. Check the file or stream and retry.`,
            {},
            { cause: error },
          );
    extract.destroy(new SourceError(typed.message, { cause: typed }));
  }
}

function unwrap(error: unknown): RailyardError {
  return archiveError(error instanceof SourceError ? error.cause : error);
}

/** Remembers why the parser was destroyed: entry bodies only see a generic "destroyed" error. */
function watchFailure(extract: Extract): () => Promise<unknown> {
  let failure: unknown = null;
  extract.on('error', (error: unknown) => {
    failure = error;
  });
  const closed = new Promise<void>((resolve) => extract.once('close', () => resolve()));
  return async () => {
    if (extract.destroying || extract.destroyed) await closed;
    return failure;
  };
}

async function* mapErrors(
  body: AsyncIterable<Uint8Array>,
  failure: () => Promise<unknown>,
): AsyncGenerator<Uint8Array> {
  try {
    yield* body;
  } catch (error) {
    throw unwrap((await failure()) ?? error);
  }
}

/**
 * Parses a tar stream entry by entry without buffering entries: each body streams straight from the
 * source, which is read only as fast as bodies are consumed. Parse failures, truncation and source
 * errors surface as `ArchiveError`s from the iteration or from the body being read.
 * @internal
 *
 * @example
 * ```ts
 * for await (const { header, body } of readTarEntries(source, limits.maxTotalBytes)) for await (const c of body) {}
 * ```
 */
export async function* readTarEntries(source: ArchiveSource, maxTotalBytes: number): AsyncGenerator<TarEntry> {
  const extract = tar.extract();
  const failure = watchFailure(extract);
  const pumping = pump(source, extract, maxTotalBytes);
  let finished = false;
  try {
    for await (const entry of extract) {
      const { name, size, type, linkname } = entry.header as Partial<Record<keyof TarHeader, unknown>>;
      const header: TarHeader = {
        name: typeof name === 'string' ? name : '',
        size: typeof size === 'number' ? size : 0,
        type: typeof type === 'string' ? type : null,
        linkname: typeof linkname === 'string' ? linkname : null,
      };
      yield { header, body: mapErrors(entry as AsyncIterable<Uint8Array>, failure) };
    }
    finished = true;
  } catch (error) {
    throw unwrap(error);
  } finally {
    if (finished) await pumping;
    else {
      extract.destroy(null);
      // A stalled source would keep a pending read forever; let the caller's stream go.
      const destroy = (source as { destroy?: unknown }).destroy;
      if (typeof destroy === 'function') destroy.call(source);
    }
  }
}
