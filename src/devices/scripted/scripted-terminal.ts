import { systemClock } from '../../common/clock.js';
import { DATA_UPDATE_MESSAGES } from '../../core/data-update/data-update.messages.js';
import { REMOTE_ACCESS_MESSAGES } from '../../core/remote-access.messages.js';
import type { DeviceCredentials } from '../../devices/credentials.js';
import { DeviceLink } from '../../devices/link/device-link.js';
import { MessageCodec } from '../../protocol/codec.js';
import { NodeCryptoBackend } from '../../protocol/crypto/node-backend.js';
import { Envelope } from '../../protocol/envelope.js';
import type { DeviceId, PrincipalId } from '../../protocol/ids.js';
import type { Message } from '../../protocol/message.js';
import { MessageRegistry } from '../../protocol/message-registry.js';

/** Polls until the probe answers (bounded). */
async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A terminal driven message by message over the real broker: the caller composes each signed, sealed uplink itself
 * (so a test can replay, drop, reorder or forge), and reads every verified downlink. Used by protocol-level tests of
 * the service providing system and by benchmarks; the device runtime is the terminal that follows the protocol.
 */
export class RawTerminal {
  readonly received: Message[] = [];
  private constructor(
    readonly credentials: DeviceCredentials,
    readonly link: DeviceLink,
    readonly codec: MessageCodec,
  ) {}

  static async attach(credentials: DeviceCredentials, mqttUrl: string): Promise<RawTerminal> {
    const crypto = new NodeCryptoBackend();
    const codec = new MessageCodec(new Envelope(crypto), new MessageRegistry().register(...REMOTE_ACCESS_MESSAGES, ...DATA_UPDATE_MESSAGES), systemClock, { maxSkewMs: 300_000, numberRetentionMs: 86_400_000 });
    const link = new DeviceLink({ url: mqttUrl, deviceId: credentials.deviceId as DeviceId, crypto, signingSecretKey: credentials.device.keys.signing.secretKey, clock: systemClock, reconnectPeriodMs: 250 });
    const terminal = new RawTerminal(credentials, link, codec);
    const seen = new Set<string>();
    link.onDownlink(async (payload) => {
      const { principal, sp } = credentials;
      const verified = await codec.receive(
        payload,
        { id: principal.id as PrincipalId, sealingSecretKey: principal.keys.sealing.secretKey, sealingPublicKey: principal.keys.sealing.publicKey },
        { signingKey: (kid) => (kid === sp.id ? { usable: true, publicKey: sp.signingPublicKey, holder: kid } : { usable: false, reason: 'unknown-principal' }) },
        { remember: (scope, key) => !seen.has(`${scope}/${key}`) && Boolean(seen.add(`${scope}/${key}`)) },
      );
      terminal.received.push(verified.message);
    });
    let online = false;
    link.onStateChange((state) => (online = state === 'online' || online));
    await link.start();
    await waitFor(() => online, `${credentials.deviceId} online`, 30_000);
    return terminal;
  }

  /** Composes, signs with the terminal's principal and seals to the SP. */
  compose(type: string, fields: unknown, header: { pg?: string; re?: string; issuedAt?: number } = {}): Uint8Array {
    const { principal, sp } = this.credentials;
    return this.codec.compose(this.codec.definition(type), { from: principal.id as PrincipalId, to: sp.id as PrincipalId, fields, ...header }, [{ kid: principal.id, secretKey: principal.keys.signing.secretKey }], sp.sealingPublicKey).bytes;
  }

  async send(bytes: Uint8Array): Promise<void> {
    await this.link.send(bytes);
  }

  /** The party fields this terminal puts in data update messages. */
  get party(): Record<string, string> {
    const { credentials } = this;
    return credentials.deviceId.startsWith('dev:mobile:') ? { userId: credentials.principal.id } : { terminalId: credentials.deviceId, merchantId: credentials.merchantId ?? '' };
  }

  async next(type: string, after = 0, timeoutMs = 10_000): Promise<Message> {
    return waitFor(() => this.received.slice(after).find((message) => message.type === type), `a ${type} for ${this.credentials.deviceId}`, timeoutMs);
  }

  /** Resolves with the first received message that satisfies the predicate. */
  async until(predicate: (message: Message) => boolean, what: string, timeoutMs = 10_000): Promise<Message> {
    return waitFor(() => this.received.find(predicate), what, timeoutMs);
  }

  async close(): Promise<void> {
    await this.link.close();
  }
}
