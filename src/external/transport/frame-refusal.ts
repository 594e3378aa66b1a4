import { REJECTION_REASONS, isProtocolError, type RejectionReason } from '../../protocol/errors.js';

/** Why an external party answered with an error instead of a sealed frame. */
export type FrameRefusalReason = RejectionReason | 'internal';

/**
 * The typed error reply of the frame pattern. It is sent in the clear, so it says only which check failed:
 * a party that cannot authenticate the sender has nobody to seal a refusal to.
 */
export interface FrameRefusal {
  readonly status: 'error';
  readonly reason: FrameRefusalReason;
  readonly message: string;
}

export function frameRefusalOf(error: unknown): FrameRefusal {
  if (isProtocolError(error)) return { status: 'error', reason: error.reason, message: error.message };
  return { status: 'error', reason: 'internal', message: 'internal error' };
}

export function isFrameRefusal(value: unknown): value is FrameRefusal {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  const reason = candidate['reason'];
  return (
    candidate['status'] === 'error' &&
    typeof candidate['message'] === 'string' &&
    typeof reason === 'string' &&
    (reason === 'internal' || (REJECTION_REASONS as readonly string[]).includes(reason))
  );
}
