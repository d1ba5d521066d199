/** Bytes as a Railyard store accepts them: a buffer, a Node stream or a web `ReadableStream`. */
export type BlobSource = Uint8Array | AsyncIterable<Uint8Array>;

/** What the writer declares about the bytes; the store checks both while streaming. */
export interface PutOptions {
  digest?: string;
  size?: number;
}

/** Where a blob landed. */
export interface BlobInfo {
  digest: string;
  size: number;
}

/**
 * Content-addressed bytes (`sha256:<hex>`). `put` hashes while streaming and refuses bytes whose
 * digest or size differ from what was declared, storing nothing; a blob, once stored, never changes.
 *
 * @example
 * ```ts
 * const { digest } = await blobs.put(new TextEncoder().encode('hello'));
 * for await (const chunk of (await blobs.get(digest))!) process.stdout.write(chunk);
 * ```
 */
export interface BlobStore {
  put(source: BlobSource, options?: PutOptions): Promise<BlobInfo>;
  /** The bytes, or `null` when absent. */
  get(digest: string): Promise<AsyncIterable<Uint8Array> | null>;
  has(digest: string): Promise<boolean>;
  /** Size of a blob, or `null` when absent. */
  stat(digest: string): Promise<BlobInfo | null>;
  /** Removes a blob; removing an absent blob is not an error. */
  delete(digest: string): Promise<void>;
  close?(): Promise<void>;
}
