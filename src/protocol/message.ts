import { z } from 'zod';
import { isPrincipalId, type PrincipalId } from './ids.js';

/** The header every message carries (the spec's "header", sender ID and issued time) plus Tessera's envelope fields. */
export interface MessageHeader<T extends string = string> {
  readonly v: 1;
  /** Message type, named as in the spec (`remoteAccessRequest`). */
  readonly type: T;
  /** Unique message ID chosen by the sender (hex); devices and the outbox de-duplicate by it. */
  readonly id: string;
  readonly from: PrincipalId;
  /** The addressee, inside the signed body so a signed message cannot be re-addressed. */
  readonly to: PrincipalId;
  /** Issued time, ms since the epoch. */
  readonly issuedAt: number;
  /** Process group this message belongs to (`txn:...`). */
  readonly pg?: string;
  /** ID of the message this one answers. */
  readonly re?: string;
}

export interface Message<T extends string = string, F = unknown> extends MessageHeader<T> {
  readonly fields: F;
}

const principal = z.string().refine(isPrincipalId, 'not a principal ID');

export const headerSchema = z
  .object({
    v: z.literal(1),
    type: z.string().min(1).max(64),
    id: z.string().regex(/^[0-9a-f]{32}$/),
    from: principal,
    to: principal,
    issuedAt: z.number().int().nonnegative(),
    pg: z.string().max(160).optional(),
    re: z.string().regex(/^[0-9a-f]{32}$/).optional(),
    fields: z.unknown(),
  })
  .strict();

/** A number the sender must never reuse (request, transaction, offer, acceptance numbers): kept in the replay window. */
export interface NumberToRemember {
  readonly scope: string;
  readonly value: string | number;
}

export interface MessageDefinition<T extends string = string, S extends z.ZodType = z.ZodType> {
  readonly type: T;
  /** The spec's reference numerals and paragraph, e.g. `5600 [1474]`. */
  readonly ref: string;
  /** "Closed and addressed to" in the spec: the frame must be sealed to the addressee. */
  readonly sealed: boolean;
  readonly fields: S;
  // The two hooks below use method syntax on purpose: their parameter is then checked bivariantly, so a definition with
  // typed fields still fits the registry's `MessageDefinition` (as function-typed properties it did not). The codec
  // calls them only after `fields` has parsed the message, so the narrower parameter type holds at run time.
  /** Key IDs that must have signed, besides the sender. Defaults to the sender alone. */
  extraSigners?(message: Message<T, z.infer<S>>): readonly string[];
  /** Numbers to remember so that a replay is refused even after the freshness window. */
  numbers?(message: Message<T, z.infer<S>>): readonly NumberToRemember[];
}

export type FieldsOf<D> = D extends MessageDefinition<string, infer S> ? z.infer<S> : never;
export type MessageOf<D> = D extends MessageDefinition<infer T, infer S> ? Message<T, z.infer<S>> : never;

export function defineMessage<T extends string, S extends z.ZodType>(definition: MessageDefinition<T, S>): MessageDefinition<T, S> {
  return definition;
}

/** Bytes as a schema field (CBOR byte strings decode to Uint8Array). */
export const bytes = (length?: number) =>
  z.custom<Uint8Array>((value) => value instanceof Uint8Array && (length === undefined || value.length === length), length === undefined ? 'must be bytes' : `must be ${length} bytes`);

/** Money: integer minor units with an ISO currency. */
export const money = z.object({ amount: z.number().int().safe(), currency: z.string().regex(/^[A-Z]{3}$/) }).strict();
export type Money = z.infer<typeof money>;
