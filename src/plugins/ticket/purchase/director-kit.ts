import type { Effect, SendEffect } from '../../../actors/effects.js';
import { processorFor } from '../../../actors/external-processors.js';
import { fromBase64, toBase64 } from '../../../common/bytes.js';
import { decodeStrict, encodeCanonical } from '../../../protocol/cbor.js';

/**
 * Helpers the ticket directors share. Director context and task results are stored as JSON, so fields holding bytes
 * travel between tasks and directors packed (canonical CBOR, base64) and are unpacked only in the emitted effect.
 */
export const pack = (value: unknown): string => toBase64(encodeCanonical(value));
export const unpack = (packed: string): unknown => decodeStrict(fromBase64(packed));

/** Who a process answers: the user, through the terminal that sent the request. */
export interface Requester {
  readonly pg: string;
  readonly userId: string;
  readonly deviceId: string;
  /** ID of the device message that opened the process (the `re` of the answers). */
  readonly requestId: string;
}

/** A message from the SP to the user's terminal (signed by the SP, sealed to the user). */
export function toUser(requester: Requester, messageType: string, fields: unknown): SendEffect {
  return { type: 'effect.send', channel: 'device', via: requester.deviceId, to: requester.userId as SendEffect['to'], messageType, fields, pg: requester.pg, re: requester.requestId };
}

/** An exchange with an external party (issuing system or transaction processor) through its processor; the reply comes back to the director. */
export function exchangeWith(pg: string, spId: string, party: string, messageType: string, fields: Record<string, unknown>): Effect {
  const processor = processorFor(party);
  return {
    type: 'effect.actor',
    actorId: processor?.actorId ?? 'processor:none',
    kind: processor?.kind ?? 'none',
    input: { spId },
    event: { type: 'exchange.requested', pg, party, messageType, fields, replyTo: pg },
  };
}

/** A named task of the ticket plugin; keyed by the process group and step so a rerun answers the same. */
export function runTask(pg: string, task: string, step: string, input: unknown): Effect {
  return { type: 'effect.task', task, key: `${pg}:${step}`, input, pg, replyTo: pg };
}

/** A message packed by a task for the director to send to the user as it is. */
export interface PackedMessage {
  readonly messageType: string;
  readonly fields: string;
}
