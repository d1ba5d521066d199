import type { S3Client } from '@aws-sdk/client-s3';

/** One request as it left the client. */
export interface SentRequest {
  command: string;
  /** Body bytes, from the request's content-length. */
  bytes: number;
  headers: Record<string, string>;
}

interface WireRequest {
  headers: Record<string, string>;
  body?: unknown;
}

/** Records every request a client sends (command name, body size, headers). */
export function recordRequests(client: S3Client): SentRequest[] {
  const sent: SentRequest[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as WireRequest;
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
      sent.push({ command: context.commandName ?? '?', bytes: Number(headers['content-length'] ?? 0), headers });
      return next(args);
    },
    { step: 'finalizeRequest', name: 'railyardTestRecorder', priority: 'low' },
  );
  return sent;
}

/**
 * Makes a client's PutObject and UploadPart bodies longer on the wire, the way a server that keeps
 * aws-chunked framing, or a proxy that rewrites bodies, ends up storing other bytes than were sent.
 */
export function appendToUploads(client: S3Client, extra: Uint8Array): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as WireRequest;
      if (
        (context.commandName === 'PutObjectCommand' || context.commandName === 'UploadPartCommand') &&
        request.body instanceof Uint8Array
      ) {
        request.body = Buffer.concat([request.body, extra]);
        for (const name of Object.keys(request.headers)) {
          if (name.toLowerCase() === 'content-length') delete request.headers[name];
        }
        request.headers['content-length'] = String((request.body as Uint8Array).byteLength);
      }
      return next(args);
    },
    { step: 'build', name: 'railyardTestAppend', priority: 'low' },
  );
}

/** The command names of the recorded requests, without the `Command` suffix. */
export const commands = (sent: SentRequest[]) => sent.map((r) => r.command.replace(/Command$/, ''));
