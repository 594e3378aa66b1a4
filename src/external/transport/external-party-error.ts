import type { FrameRefusalReason } from './frame-refusal.js';

/**
 * Why an exchange with an external party produced no frame:
 * - `timeout`: no reply within the time limit (the request may or may not have been processed: resend it, it is idempotent);
 * - `unreachable`: the connection was refused, could not be made or was lost;
 * - `refused`: the party answered with a typed error reply (see `refusal`);
 * - `bad-reply`: the party answered with something that is not a frame packet.
 */
export type ExternalPartyErrorKind = 'timeout' | 'unreachable' | 'refused' | 'bad-reply';

export class ExternalPartyError extends Error {
  override readonly name = 'ExternalPartyError';
  constructor(
    readonly kind: ExternalPartyErrorKind,
    message: string,
    /** Set when `kind` is `refused`: the check the party says failed. */
    readonly refusal?: FrameRefusalReason,
  ) {
    super(`${kind}: ${message}`);
  }
}

export function isExternalPartyError(error: unknown): error is ExternalPartyError {
  return error instanceof ExternalPartyError;
}
