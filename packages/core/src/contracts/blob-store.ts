/** Bytes as a Railyard store accepts them: a buffer, a Node stream or a web `ReadableStream`. */
export type BlobSource = Uint8Array | AsyncIterable<Uint8Array>;

/** What the writer declares about the bytes; the store checks both while streaming. */
export interface PutOptions {
  /** The digest the bytes must have (`sha256:<hex>`). */
  digest?: string;
  /** The size in bytes the bytes must have. */
  size?: number;
}

/** Where a blob landed. */
export interface BlobInfo {
  /** The blob's digest (`sha256:<hex>`). */
  digest: string;
  /** Its size in bytes. */
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
  /** Stores bytes (hashing while streaming) and says where they landed. */
  put(source: BlobSource, options?: PutOptions): Promise<BlobInfo>;
  /** The bytes, or `null` when absent. */
  get(digest: string): Promise<AsyncIterable<Uint8Array> | null>;
  /** Whether the blob is stored. */
  has(digest: string): Promise<boolean>;
  /** Size of a blob, or `null` when absent. */
  stat(digest: string): Promise<BlobInfo | null>;
  /** Removes a blob; removing an absent blob is not an error. */
  delete(digest: string): Promise<void>;
  /** Releases what the store holds (handles, connections). */
  close?(): Promise<void>;
}
