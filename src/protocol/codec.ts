import { decodeStrict } from './cbor.js';
import { Envelope, type Signer } from './envelope.js';
import { ProtocolError } from './errors.js';
import type { PrincipalId } from './ids.js';
import { headerSchema, type Message, type MessageDefinition } from './message.js';
import type { MessageRegistry } from './message-registry.js';
import type { Clock } from '../common/clock.js';

/** What the receiver knows about a signing key. */
export interface ResolvedKey {
  readonly publicKey: Uint8Array;
  /** The principal that holds the key (for object keys, the object's ID). */
  readonly holder: string;
  readonly usable: true;
}

export type KeyLookup = ResolvedKey | { readonly usable: false; readonly reason: 'unknown-principal' | 'revoked' | 'disabled' };

export interface KeyDirectory {
  signingKey(kid: string, at: number): Promise<KeyLookup> | KeyLookup;
}

export interface ReplayGuard {
  /** Records the key; returns false when it was already there. */
  remember(scope: string, key: string, expiresAt: number): Promise<boolean> | boolean;
}

/** The receiver's own sealing identity. */
export interface Recipient {
  readonly id: PrincipalId;
  readonly sealingSecretKey: Uint8Array;
  readonly sealingPublicKey: Uint8Array;
}

export interface VerifiedMessage<M extends Message = Message> {
  readonly message: M;
  readonly sealed: boolean;
  readonly signers: readonly string[];
  /** Hex SHA-256 of the signed body: the message's fingerprint in audit and replay records. */
  readonly digest: string;
}

export interface CodecOptions {
  /** Largest allowed distance between a message's issued time and the receiver's clock. */
  readonly maxSkewMs: number;
  /** How long numbers (request, transaction, offer numbers) are remembered. */
  readonly numberRetentionMs: number;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

/**
 * The one inbound path: bytes -> decode -> schema -> addressee -> freshness -> signature(s) -> replay.
 * Lookups that need the domain (device status, sender binding) follow in the caller, before any actor sees it.
 * Also composes outbound messages, so both directions share one definition of a message.
 */
export class MessageCodec {
  constructor(
    readonly envelope: Envelope,
    private readonly registry: MessageRegistry,
    private readonly clock: Clock,
    private readonly options: CodecOptions,
  ) {}

  /** The registered definition of a type; throws for an unknown one (a bug on the sending side). */
  definition(type: string): MessageDefinition {
    const definition = this.registry.get(type);
    if (definition === undefined) throw new TypeError(`no message type '${type}' registered`);
    return definition;
  }

  newMessageId(): string {
    return hex(this.envelope.crypto.randomBytes(16));
  }

  /** Builds, signs and (when the definition says so) seals a message. */
  compose<T extends string, F>(
    definition: MessageDefinition<T>,
    header: Omit<Message<T, F>, 'v' | 'type' | 'id' | 'issuedAt'> & { id?: string; issuedAt?: number },
    signers: readonly Signer[],
    recipientSealingKey?: Uint8Array,
  ): { bytes: Uint8Array; message: Message<T, F> } {
    const message = {
      v: 1 as const,
      type: definition.type,
      id: header.id ?? this.newMessageId(),
      from: header.from,
      to: header.to,
      issuedAt: header.issuedAt ?? this.clock.now(),
      ...(header.pg === undefined ? {} : { pg: header.pg }),
      ...(header.re === undefined ? {} : { re: header.re }),
      fields: header.fields,
    } satisfies Message<T, F>;
    const signed = this.envelope.sign(definition.type, message, signers);
    if (!definition.sealed) return { bytes: signed, message };
    if (recipientSealingKey === undefined) throw new TypeError(`${definition.type} must be sealed: no sealing key for ${header.to}`);
    return { bytes: this.envelope.seal(signed, header.to, recipientSealingKey), message };
  }

  async receive(bytes: Uint8Array, me: Recipient, keys: KeyDirectory, replay: ReplayGuard): Promise<VerifiedMessage> {
    let frame = this.envelope.decodeFrame(bytes);
    const sealed = frame.t === 'sealed';
    if (frame.t === 'sealed') {
      frame = this.envelope.decodeFrame(this.envelope.open(frame, me.id, me.sealingSecretKey, me.sealingPublicKey));
      if (frame.t !== 'signed') throw new ProtocolError('malformed', 'a sealed frame must hold a signed frame');
    }
    const header = headerSchema.safeParse(decodeStrict(frame.b));
    if (!header.success) throw new ProtocolError('schema', `header: ${header.error.issues[0]?.message ?? 'invalid'}`);
    const definition = this.registry.get(header.data.type);
    if (definition === undefined) throw new ProtocolError('unknown-type', `no message type '${header.data.type}'`, { type: header.data.type });
    const fields = definition.fields.safeParse(header.data.fields);
    if (!fields.success) {
      const issue = fields.error.issues[0];
      throw new ProtocolError('schema', `${definition.type}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, { type: definition.type });
    }
    const message = { ...header.data, fields: fields.data } as Message;
    if (message.to !== me.id) throw new ProtocolError('wrong-addressee', `addressed to ${message.to}`, { type: message.type, to: message.to });
    if (definition.sealed && !sealed) throw new ProtocolError('schema', `${message.type} must be sealed to its addressee`, { type: message.type });
    const now = this.clock.now();
    if (Math.abs(now - message.issuedAt) > this.options.maxSkewMs) {
      throw new ProtocolError('stale', `issued ${now - message.issuedAt} ms from now`, { type: message.type, skewMs: now - message.issuedAt });
    }
    const signers = await this.verifySignatures(definition, message, frame.b, frame.s, keys);
    const digest = hex(this.envelope.crypto.sha256(frame.b));
    if (!(await replay.remember(`msg:${message.from}`, digest, message.issuedAt + 2 * this.options.maxSkewMs))) {
      throw new ProtocolError('replay', `message ${message.id} already received`, { type: message.type, id: message.id });
    }
    for (const number of definition.numbers?.(message) ?? []) {
      if (!(await replay.remember(`num:${number.scope}`, String(number.value), now + this.options.numberRetentionMs))) {
        throw new ProtocolError('replay', `${number.scope} ${number.value} already used`, { type: message.type, scope: number.scope });
      }
    }
    return { message, sealed, signers, digest };
  }

  private async verifySignatures(
    definition: MessageDefinition,
    message: Message,
    bodyBytes: Uint8Array,
    signatures: readonly { kid: string; sig: Uint8Array }[],
    keys: KeyDirectory,
  ): Promise<string[]> {
    const required = [message.from, ...(definition.extraSigners?.(message) ?? [])];
    const verified: string[] = [];
    for (const kid of required) {
      const entry = signatures.find((candidate) => candidate.kid === kid);
      if (entry === undefined) throw new ProtocolError('bad-signature', `missing signature of ${kid}`, { type: message.type, kid });
      const key = await keys.signingKey(kid, message.issuedAt);
      if (!key.usable) throw new ProtocolError(key.reason, `signing key ${kid}`, { type: message.type, kid });
      if (!this.envelope.verify(message.type, bodyBytes, entry.sig, key.publicKey)) {
        throw new ProtocolError('bad-signature', `signature of ${kid} does not verify`, { type: message.type, kid });
      }
      verified.push(kid);
    }
    return verified;
  }
}
