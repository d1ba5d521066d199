import { createHash, randomBytes } from 'node:crypto';

export const MiB = 1024 * 1024;

export const sha = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Random bytes: every test's blobs are distinct, so tests never see each other's objects. */
export const bytesOf = (length: number): Uint8Array<ArrayBuffer> => Uint8Array.from(randomBytes(length));

export async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += size) yield bytes.slice(offset, offset + size);
}

export async function readAll(source: AsyncIterable<Uint8Array> | null): Promise<Buffer | null> {
  if (source === null) return null;
  const parts: Uint8Array[] = [];
  for await (const chunk of source) parts.push(chunk);
  return Buffer.concat(parts);
}

/** The thrown value of a promise that must reject. */
export async function rejection(
  promise: Promise<unknown>,
): Promise<{ code?: string; retryable?: boolean; message: string; details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; retryable?: boolean; message: string };
  }
  throw new Error('expected the call to reject, but it resolved');
}
