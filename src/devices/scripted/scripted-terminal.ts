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

/**
 * Resolves with the probe's first answer, trying it now and each time `changed` fires (bounded): no polling, so a
 * thousand waiting terminals cost nothing until their messages arrive.
 */
function waitFor<T>(changed: Set<() => void>, probe: () => T | undefined | false, what: string, timeoutMs: number): Promise<T> {
  const first = probe();
  if (first !== undefined && first !== false) return Promise.resolve(first);
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const value = probe();
      if (value === undefined || value === false) return;
      done();
      resolve(value);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      changed.delete(check);
    };
    changed.add(check);
  });
}

/**
 * A terminal driven message by message over the real broker: the caller composes each signed, sealed uplink itself
 * (so a test can replay, drop, reorder or forge), and reads every verified downlink. Used by protocol-level tests of
 * the service providing system and by benchmarks; the device runtime is the terminal that follows the protocol.
 */
export class RawTerminal {
  readonly received: Message[] = [];
  /** Waiters, tried after every received message and link state change. */
  private readonly changed = new Set<() => void>();
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
      terminal.notify();
    });
    let online = false;
    link.onStateChange((state) => {
      online = state === 'online' || online;
      terminal.notify();
    });
    await link.start();
    await waitFor(terminal.changed, () => online, `${credentials.deviceId} online`, 30_000);
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
    return waitFor(
      this.changed,
      () => {
        for (let index = after; index < this.received.length; index += 1) if (this.received[index]?.type === type) return this.received[index];
        return undefined;
      },
      `a ${type} for ${this.credentials.deviceId}`,
      timeoutMs,
    );
  }

  /** Resolves with the first received message that satisfies the predicate. */
  async until(predicate: (message: Message) => boolean, what: string, timeoutMs = 10_000): Promise<Message> {
    return waitFor(this.changed, () => this.received.find(predicate), what, timeoutMs);
  }

  private notify(): void {
    for (const check of [...this.changed]) check();
  }

  async close(): Promise<void> {
    await this.link.close();
  }
}
