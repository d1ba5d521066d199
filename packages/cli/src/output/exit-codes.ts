import type { RailyardErrorCode } from '@railyard/core/errors';

/** The exit codes of `railyard`, documented in docs/cli.md. */
export const EXIT = {
  done: 0,
  refused: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  integrity: 5,
  internal: 10,
} as const;

/** One exit code of `railyard`. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const BY_CODE: Record<RailyardErrorCode, ExitCode> = {
  POLICY_DENIED: EXIT.refused,
  CHECK_FAILED: EXIT.refused,
  VALIDATION: EXIT.usage,
  CAPABILITY_MISSING: EXIT.usage,
  SECRET_UNAVAILABLE: EXIT.usage,
  ARCHIVE_REFUSED: EXIT.usage,
  NOT_FOUND: EXIT.notFound,
  VERSION_CONFLICT: EXIT.conflict,
  ILLEGAL_TRANSITION: EXIT.conflict,
  STORE_LOCKED: EXIT.conflict,
  BUNDLE_CONFLICT: EXIT.conflict,
  IDEMPOTENCY_CONFLICT: EXIT.conflict,
  BLOB_INTEGRITY: EXIT.integrity,
  STORE_READ_ONLY: EXIT.integrity,
  ADAPTER: EXIT.internal,
  TIMEOUT: EXIT.internal,
  ABORTED: EXIT.internal,
  SETTLE_LIMIT: EXIT.internal,
};

/** The exit code for an error code (an unknown code is internal). */
export function exitCodeOf(code: string): ExitCode {
  return BY_CODE[code as RailyardErrorCode] ?? EXIT.internal;
}

const NEXT: Partial<Record<RailyardErrorCode, string>> = {
  POLICY_DENIED: 'Act as someone the policy allows (--as, or a key with that role), or change the policy.',
  CHECK_FAILED: 'Fix what the check names, then run the command again.',
  VALIDATION: 'Correct the input and run the command again; `railyard <command> --help` shows the usage.',
  NOT_FOUND: 'Check the name: `railyard env list`, `railyard history` and `railyard status` show what exists.',
  VERSION_CONFLICT: 'Someone changed it meanwhile: look again (`railyard status`) and retry.',
  ILLEGAL_TRANSITION: 'The deployment is not in a state that allows this: `railyard explain <deployment>` says why.',
  STORE_LOCKED: 'Another process holds the store: stop it, or run the command where it serves requests.',
  BLOB_INTEGRITY: 'The stored bytes are damaged: restore them from a backup or re-import the bundle.',
  ADAPTER: 'A store or the network failed: check it is reachable, then retry.',
};

/** What to do next after an error with this code. */
export function nextStepFor(code: string): string {
  return NEXT[code as RailyardErrorCode] ?? `See docs/errors.md#${code.toLowerCase()}.`;
}
