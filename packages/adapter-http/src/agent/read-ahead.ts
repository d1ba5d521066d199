/** How far a request body is read ahead of the store writing it, per request. @internal */
export const READ_AHEAD_BYTES = 4 * 1024 * 1024;

/**
 * Reads a stream ahead of its consumer, up to `maxBytes`, so that the network keeps flowing while
 * the consumer awaits something slower (a blob store writing to disk). Without it a request body is
 * read and written in turns; with it, both run at once. Memory is bounded by `maxBytes` plus one
 * chunk. `return()` stops reading at once, even while a read is pending.
 * @internal
 */
export function readAhead(source: AsyncIterable<Uint8Array>, maxBytes: number): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      const iterator = source[Symbol.asyncIterator]();
      const queue: Uint8Array[] = [];
      let queued = 0;
      let ended = false;
      let stopped = false;
      let failure: { error: unknown } | undefined;
      let wakeConsumer: (() => void) | undefined;
      let wakePump: (() => void) | undefined;

      const pump = async () => {
        try {
          while (!stopped) {
            if (queued >= maxBytes) await new Promise<void>((resolve) => (wakePump = resolve));
            if (stopped) break;
            const next = await iterator.next();
            if (next.done) break;
            queue.push(next.value);
            queued += next.value.byteLength;
            wakeConsumer?.();
          }
        } catch (error) {
          failure = { error };
        }
        ended = true;
        wakeConsumer?.();
      };
      let started = false;

      return {
        async next() {
          if (!started) {
            started = true;
            void pump();
          }
          for (;;) {
            const chunk = queue.shift();
            if (chunk) {
              queued -= chunk.byteLength;
              wakePump?.();
              wakePump = undefined;
              return { done: false, value: chunk };
            }
            if (failure) throw failure.error;
            if (ended || stopped) return { done: true, value: undefined };
            await new Promise<void>((resolve) => (wakeConsumer = resolve));
            wakeConsumer = undefined;
          }
        },
        async return() {
          stopped = true;
          queue.length = 0;
          wakePump?.();
          wakeConsumer?.();
          iterator.return?.()?.catch(() => undefined);
          return { done: true, value: undefined };
        },
      };
    },
  };
}
