import type { IncomingMessage } from 'node:http';

/**
 * A `node:http` request body as an async iterable that reads ahead of its consumer up to
 * `maxBytes` (pausing the socket beyond), hands chunks over as they arrived (no copies), and whose
 * `return()` only stops listening: the socket stays usable to answer (413, 401), and the server
 * then closes the connection instead of draining the rest.
 * @internal
 */
export function nodeBody(req: IncomingMessage, maxBytes: number): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      const queue: Uint8Array[] = [];
      let queued = 0;
      let ended = false;
      let failure: { error: unknown } | undefined;
      let wake: (() => void) | undefined;
      const onData = (chunk: Buffer) => {
        queue.push(chunk);
        queued += chunk.byteLength;
        if (queued >= maxBytes) req.pause();
        wake?.();
      };
      const onEnd = () => {
        ended = true;
        wake?.();
      };
      const onError = (error: unknown) => {
        failure = { error };
        wake?.();
      };
      const detach = () => {
        req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
        req.pause();
      };
      const onClose = () => {
        if (!req.complete) onError(new Error('The client closed the connection before the body was complete.'));
      };
      req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
      return {
        async next() {
          for (;;) {
            const chunk = queue.shift();
            if (chunk) {
              queued -= chunk.byteLength;
              if (queued < maxBytes && req.isPaused() && !ended) req.resume();
              return { done: false, value: chunk };
            }
            if (failure) {
              detach();
              throw failure.error;
            }
            if (ended) {
              detach();
              return { done: true, value: undefined };
            }
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
            wake = undefined;
          }
        },
        async return() {
          queue.length = 0;
          detach();
          return { done: true, value: undefined };
        },
      };
    },
  };
}
