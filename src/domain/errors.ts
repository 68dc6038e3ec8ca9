/**
 * Why an operation failed, in terms a caller can branch on. The Teams edge and the CLI map each
 * reason to a plain-English message; anything that is not an ActionPlanError is a bug and is logged.
 */
export type ErrorReason =
  /** The input (a file, a command, a card's data) is not valid; the message says where and why. */
  | 'invalid_input'
  /** The plan, action, area or person asked for does not exist. */
  | 'not_found'
  /** Something with that key exists already (a plan id on first import, a duplicate ref). */
  | 'already_exists'
  /** Someone else changed the record since it was read (a stale ETag); re-read and try again. */
  | 'conflict'
  /** The caller's role does not allow this change. */
  | 'forbidden'
  /** Storage did not answer; nothing was written. */
  | 'storage_unavailable';

export class ActionPlanError extends Error {
  constructor(
    readonly reason: ErrorReason,
    message: string,
    readonly details: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ActionPlanError';
  }
}

export const isActionPlanError = (e: unknown, reason?: ErrorReason): e is ActionPlanError =>
  e instanceof ActionPlanError && (reason === undefined || e.reason === reason);
