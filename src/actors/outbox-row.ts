import { decodeStrict, encodeCanonical } from '../protocol/cbor.js';
import { fromBase64, toBase64 } from '../common/bytes.js';
import type { Message } from '../protocol/message.js';
import type { ActorEffect, TaskEffect } from './effects.js';

/** An outbox row's payload: a complete message (ID and issued time fixed), or an event for another actor. */
export type OutboxPayload =
  | { readonly kind: 'message'; readonly message: Message }
  | { readonly kind: 'actor'; readonly effect: ActorEffect }
  | { readonly kind: 'task'; readonly effect: TaskEffect };

export function encodeOutboxPayload(payload: OutboxPayload): string {
  return toBase64(encodeCanonical(payload));
}

export function decodeOutboxPayload(text: string): OutboxPayload {
  return decodeStrict(fromBase64(text)) as OutboxPayload;
}
