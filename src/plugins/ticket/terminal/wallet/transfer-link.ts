import { decodeStrict } from '../../../../protocol/cbor.js';
import { MessageCodec, type KeyDirectory, type KeyLookup, type Recipient } from '../../../../protocol/codec.js';
import type { Signer } from '../../../../protocol/envelope.js';
import { ProtocolError } from '../../../../protocol/errors.js';
import { headerSchema, type Message, type MessageDefinition } from '../../../../protocol/message.js';
import { MessageRegistry } from '../../../../protocol/message-registry.js';
import type { DeviceId, PrincipalId } from '../../../../protocol/ids.js';
import { DeviceReplayWindow } from '../../../../devices/runtime/device-key-directory.js';
import type { TerminalModuleHost } from '../../../../devices/modules/terminal-module.js';
import { PROXIMITY_TRANSFER_MESSAGES } from '../../transfer/transfer.messages.js';

/**
 * Largest distance between a terminal-to-terminal message's issued time and the receiver's clock: the two users hold
 * their terminals together (or talk on the telephone), so a message older than this is not part of the exchange.
 */
export const PROXIMITY_MAX_SKEW_MS = 5 * 60_000;

/** A frame from the other terminal, opened far enough to know its type and to read the certificate it carries. */
export interface PeekedFrame {
  readonly type: string;
  readonly from: string;
  readonly fields: unknown;
  /** The signed frame (decrypted when it was sealed): what the receiver keeps as the spec's "decrypted" message. */
  readonly signedFrame: Uint8Array;
}

export interface SendOptions {
  /** The other user's terminal, on the proximity link. */
  readonly terminal: string;
  /** The addressee inside the signed body: the other user, or their terminal for the offer. */
  readonly to: string;
  readonly fields: Record<string, unknown>;
  readonly extraSigners?: readonly Signer[];
  readonly sealingKey?: Uint8Array;
  /** Fixed when another signature (the ticket's, over the issued time) covers it. */
  readonly issuedAt?: number;
}

/** Keys the receiver trusts for one message: those certified in the exchange so far, by key ID. */
export class ExchangeKeys implements KeyDirectory {
  constructor(private readonly keys: Readonly<Record<string, Uint8Array>>) {}
  signingKey(kid: string): KeyLookup {
    const key = this.keys[kid];
    return key === undefined ? { usable: false, reason: 'unknown-principal' } : { usable: true, publicKey: key, holder: kid };
  }
}

/**
 * The ticket transfer messages between two users' terminals ([1669]: the same over infrared and over a telephone
 * connection): composed and verified by the same codec the device uses for the SP, with the keys the users'
 * certificates carry instead of the SP's.
 */
export class TransferLink {
  private readonly codec: MessageCodec;
  private readonly replay = new DeviceReplayWindow();

  constructor(private readonly host: TerminalModuleHost) {
    this.codec = new MessageCodec(host.envelope, new MessageRegistry().register(...PROXIMITY_TRANSFER_MESSAGES), host.clock, { maxSkewMs: PROXIMITY_MAX_SKEW_MS, numberRetentionMs: 24 * 3600_000 });
  }

  isUseDisabled(): boolean {
    return this.host.isUseDisabled();
  }

  get userId(): string {
    return this.host.credentials.principal.id;
  }

  private get userSigner(): Signer {
    return { kid: this.userId, secretKey: this.host.credentials.principal.keys.signing.secretKey };
  }

  private get asUser(): Recipient {
    const keys = this.host.credentials.principal.keys.sealing;
    return { id: this.userId as PrincipalId, sealingSecretKey: keys.secretKey, sealingPublicKey: keys.publicKey };
  }

  private get asTerminal(): Recipient {
    // Only unsealed messages (the offer) are addressed to the terminal: no sealing key is needed.
    return { id: this.host.deviceId, sealingSecretKey: new Uint8Array(32), sealingPublicKey: new Uint8Array(32) };
  }

  /** Signs (as the user, plus `extraSigners`), seals to `sealingKey` when the definition says so, sends to `terminal`. */
  async send(definition: MessageDefinition, options: SendOptions): Promise<Message> {
    const proximity = this.host.proximity;
    if (proximity === undefined) throw new ProtocolError('refused', `${this.host.deviceId} has no proximity link`);
    const header = { from: this.userId as PrincipalId, to: options.to as PrincipalId, fields: options.fields, ...(options.issuedAt === undefined ? {} : { issuedAt: options.issuedAt }) };
    const { bytes, message } = this.codec.compose(definition, header, [this.userSigner, ...(options.extraSigners ?? [])], options.sealingKey);
    await proximity.send(options.terminal as DeviceId, bytes);
    return message;
  }

  /**
   * Opens a frame far enough to read its type (a sealed frame only when it is sealed to this terminal's user).
   * Returns undefined for a frame that is not a transfer message for this terminal: other processes share the link.
   */
  peek(frame: Uint8Array): PeekedFrame | undefined {
    try {
      const envelope = this.host.envelope;
      let outer = envelope.decodeFrame(frame);
      let signedFrame = frame;
      if (outer.t === 'sealed') {
        if (outer.to !== this.userId) return undefined;
        const user = this.asUser;
        signedFrame = envelope.open(outer, user.id, user.sealingSecretKey, user.sealingPublicKey);
        outer = envelope.decodeFrame(signedFrame);
      }
      if (outer.t !== 'signed') return undefined;
      const header = headerSchema.safeParse(decodeStrict(outer.b));
      if (!header.success || !PROXIMITY_TRANSFER_MESSAGES.some((definition) => definition.type === header.data.type)) return undefined;
      return { type: header.data.type, from: header.data.from, fields: header.data.fields, signedFrame };
    } catch {
      return undefined;
    }
  }

  /** The full inbound check (schema, addressee, freshness, signatures by `keys`, replay) of a frame peeked before. */
  async receive<M extends Message>(frame: Uint8Array, keys: Readonly<Record<string, Uint8Array>>, addressedTo: 'user' | 'terminal'): Promise<M> {
    const verified = await this.codec.receive(frame, addressedTo === 'user' ? this.asUser : this.asTerminal, new ExchangeKeys(keys), this.replay);
    return verified.message as M;
  }
}
