import { connect, type IConnackPacket, type IPublishPacket, type MqttClient } from 'mqtt';
import type { Clock } from '../../common/clock.js';
import type { CryptoBackend } from '../../protocol/crypto/crypto-backend.js';
import { isDeviceId, type DeviceId } from '../../protocol/ids.js';
import { makeConnectToken } from '../../transport/mqtt/connect-token.js';
import { asBuffer, connackRefusalCode, disableNagle, ownBytes } from '../../transport/mqtt/mqtt-client-support.js';
import { downTopic, outputTopic, statusTopic, upTopic } from '../../transport/mqtt/topics.js';
import { errorText, silentLogger, type TransportLogger } from '../../transport/mqtt/transport-logger.js';
import type { DeliveryOutcome, DeviceTransport, DownlinkHandler, SendReceipt } from './device-transport.js';
import { FileOutbox } from './file-outbox.js';
import { MemoryOutbox } from './memory-outbox.js';
import type { Outbox, OutboxEntry } from './outbox.js';

export interface DeviceLinkOptions {
  readonly url: string;
  readonly deviceId: DeviceId;
  readonly crypto: CryptoBackend;
  /** The device's Ed25519 signing key: every CONNECT carries a fresh connect token signed with it. */
  readonly signingSecretKey: Uint8Array;
  readonly clock: Clock;
  /** Keep pending uplinks on disk (one file each) so they survive a restart of the device process. */
  readonly outboxDir?: string;
  readonly maxOutboxMessages?: number;
  readonly reconnectPeriodMs?: number;
  /** Retry period after the broker refused the CONNECT for credentials or authorization (return codes 2, 4, 5). */
  readonly refusedRetryPeriodMs?: number;
  readonly connectTimeoutMs?: number;
  readonly keepaliveSeconds?: number;
  /** An operator-issued password for an external broker that cannot check connect tokens; replaces the token. */
  readonly password?: string;
  readonly logger?: TransportLogger;
}

/** 'connecting' (CONNECT sent), 'online' (subscribed, status published), 'offline', 'refused' (by CONNACK). */
export type DeviceLinkState = 'idle' | 'connecting' | 'online' | 'offline' | 'refused' | 'closed';

export interface ConnectRefusal {
  readonly code: number;
  readonly message: string;
}

const SERVER_UNAVAILABLE = 3;

/**
 * A device's MQTT link (device simulators, tests). Persistent session, so the broker keeps QoS 1 downlinks while the
 * device is away; retained 'online' status with an 'offline' will; uplinks kept in an outbox until PUBACK.
 */
export class DeviceLink implements DeviceTransport {
  private client: MqttClient | undefined;
  private downlinkHandler: DownlinkHandler | undefined;
  private readonly stateHandlers: Array<(state: DeviceLinkState) => void> = [];
  private current: DeviceLinkState = 'idle';
  private refusal: ConnectRefusal | undefined;
  private readonly outbox: Outbox;
  private readonly deliveries = new Map<string, (outcome: DeliveryOutcome) => void>();
  private readonly unacknowledgedOutputs = new Set<(error: Error) => void>();
  /** Topics besides the device's down topic (the proximity relay), with their handlers. */
  private readonly extraTopics = new Map<string, DownlinkHandler>();
  private sending: Promise<unknown> = Promise.resolve();
  private receiving: Promise<void> = Promise.resolve();
  private readonly logger: TransportLogger;

  constructor(private readonly options: DeviceLinkOptions) {
    if (!isDeviceId(options.deviceId)) throw new TypeError(`not a device ID: '${String(options.deviceId)}'`);
    const capacity = options.maxOutboxMessages ?? 10_000;
    this.outbox = options.outboxDir === undefined ? new MemoryOutbox(capacity) : new FileOutbox(options.outboxDir, capacity);
    this.logger = options.logger ?? silentLogger;
  }

  get state(): DeviceLinkState {
    return this.current;
  }

  /** The last CONNACK refusal; cleared by a successful CONNECT. */
  get lastRefusal(): ConnectRefusal | undefined {
    return this.refusal;
  }

  /** Uplinks not yet acknowledged by the broker. */
  get pendingCount(): number {
    return this.outbox.size;
  }

  onStateChange(handler: (state: DeviceLinkState) => void): void {
    this.stateHandlers.push(handler);
  }

  onDownlink(handler: DownlinkHandler): void {
    this.downlinkHandler = handler;
  }

  /** Loads the outbox, starts connecting and queues the uplinks an earlier run left. Does not wait for the broker. */
  async start(): Promise<void> {
    if (this.current !== 'idle') throw new Error(`DeviceLink.start called when ${this.current}`);
    if (this.downlinkHandler === undefined) throw new Error('register onDownlink before start(): queued downlinks arrive right after CONNACK');
    const replay = await this.outbox.load();
    const { deviceId } = this.options;
    const client = connect(this.options.url, {
      clientId: deviceId,
      username: deviceId,
      password: this.credential(),
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: this.reconnectPeriodMs(),
      connectTimeout: this.options.connectTimeoutMs ?? 5_000,
      keepalive: this.options.keepaliveSeconds ?? 30,
      resubscribe: false,
      reconnectOnConnackError: true,
      will: { topic: statusTopic(deviceId), payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    this.client = client;
    this.setState('connecting');
    client.handleMessage = (packet, done) => {
      this.receiving = this.receiving.then(() => this.receive(packet));
      void this.receiving.then(() => done());
    };
    // mqtt.js sends client.options.password on every reconnect; a token is single-use and stales, so renew it.
    client.on('reconnect', () => {
      client.options.password = this.credential();
      if (this.current !== 'closed') this.setState('connecting');
    });
    client.on('connect', (connack) => {
      disableNagle(client.stream);
      this.afterConnack(client, connack);
    });
    client.on('close', () => {
      if (this.current === 'online' || this.current === 'connecting') this.setState('offline');
    });
    client.on('error', (error) => this.clientError(client, error));
    for (const entry of replay) void this.publishEntry(client, entry);
  }

  async send(payload: Uint8Array): Promise<SendReceipt> {
    const client = this.activeClient();
    // Chained, so uplinks reach the broker in the order they were sent even when the outbox writes to disk.
    const run = this.sending.then(async () => {
      const entry = await this.outbox.add(payload);
      return { id: entry.id, delivery: this.publishEntry(client, entry) };
    });
    this.sending = run.catch(() => undefined);
    return run;
  }

  async publishOutput(output: string, payload: Uint8Array): Promise<void> {
    const topic = outputTopic(this.options.deviceId, output);
    const client = this.activeClient();
    // Not queued for a later connection: a gate that opens minutes late is worse than one that does not open.
    if (this.current !== 'online') throw new Error(`DeviceLink is ${this.current}; an output signal is sent only while online`);
    return new Promise((resolve, reject) => {
      this.unacknowledgedOutputs.add(reject);
      client.publish(topic, asBuffer(payload), { qos: 1 }, (error) => {
        this.unacknowledgedOutputs.delete(reject);
        if (error) reject(error);
        else resolve();
      });
    });
  }

  /**
   * Subscribes to a topic besides the device's own down topic (its proximity topic), now if online and after every
   * CONNACK; frames on it go to `handler`, not to the downlink handler.
   */
  subscribeTopic(topic: string, handler: DownlinkHandler): void {
    this.extraTopics.set(topic, handler);
    if (this.client !== undefined && this.current === 'online') this.subscribeExtras(this.client);
  }

  /** Publishes to another topic than the device's own (a frame for a nearby device): only while online, never kept. */
  async publishTo(topic: string, payload: Uint8Array): Promise<void> {
    const client = this.activeClient();
    if (this.current !== 'online') throw new Error(`DeviceLink is ${this.current}; a proximity frame is sent only while online`);
    await client.publishAsync(topic, asBuffer(payload), { qos: 1 });
  }

  /**
   * Ends the connection without DISCONNECT, so the broker publishes the 'offline' will. Uplinks not yet acknowledged
   * resolve 'kept' (a file-backed outbox replays them on the next start).
   */
  async close(): Promise<void> {
    if (this.current === 'closed') return;
    this.setState('closed');
    await this.sending;
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) await client.endAsync(true);
    for (const resolve of this.deliveries.values()) resolve('kept');
    this.deliveries.clear();
    for (const reject of this.unacknowledgedOutputs) reject(new Error('DeviceLink closed before the broker acknowledged the output'));
    this.unacknowledgedOutputs.clear();
    await this.receiving;
  }

  private activeClient(): MqttClient {
    if (this.client === undefined || this.current === 'closed') throw new Error(`DeviceLink is ${this.current}; start() it first`);
    return this.client;
  }

  private credential(): string | Buffer {
    const { password, crypto, deviceId, signingSecretKey, clock } = this.options;
    return password ?? asBuffer(makeConnectToken(crypto, deviceId, signingSecretKey, clock.now()));
  }

  private reconnectPeriodMs(): number {
    return this.options.reconnectPeriodMs ?? 250;
  }

  private publishEntry(client: MqttClient, entry: OutboxEntry): Promise<DeliveryOutcome> {
    return new Promise((resolve) => {
      this.deliveries.set(entry.id, resolve);
      client.publish(upTopic(this.options.deviceId), asBuffer(entry.payload), { qos: 1 }, (error) => {
        if (error) {
          // mqtt.js fails a QoS 1 publish only when the client is ending; the entry stays in the outbox.
          this.settle(entry.id, 'kept');
          return;
        }
        this.outbox
          .remove(entry.id)
          .catch((removeError: unknown) => this.logger.error('could not remove an acknowledged uplink from the outbox', { id: entry.id, error: errorText(removeError) }))
          .finally(() => this.settle(entry.id, 'acknowledged'));
      });
    });
  }

  private settle(id: string, outcome: DeliveryOutcome): void {
    this.deliveries.get(id)?.(outcome);
    this.deliveries.delete(id);
  }

  private afterConnack(client: MqttClient, connack: IConnackPacket): void {
    this.refusal = undefined;
    client.options.reconnectPeriod = this.reconnectPeriodMs();
    const announce = (): void => {
      client.publish(statusTopic(this.options.deviceId), 'online', { qos: 1, retain: true }, (error) => {
        if (error) this.logger.debug('could not publish online status', { error: errorText(error) });
      });
      if (this.current !== 'closed') this.setState('online');
    };
    this.subscribeExtras(client);
    // A resumed session still holds the subscription, and the downlinks queued while the device was away.
    if (connack.sessionPresent) {
      announce();
      return;
    }
    client.subscribe(downTopic(this.options.deviceId), { qos: 1 }, (error) => {
      if (error) {
        this.logger.error('could not subscribe to the down topic', { error: errorText(error) });
        return;
      }
      announce();
    });
  }

  private subscribeExtras(client: MqttClient): void {
    if (this.extraTopics.size === 0) return;
    client.subscribe([...this.extraTopics.keys()], { qos: 1 }, (error) => {
      if (error) this.logger.error('could not subscribe to an extra topic', { error: errorText(error) });
    });
  }

  private clientError(client: MqttClient, error: Error): void {
    const code = connackRefusalCode(error);
    if (code === undefined) {
      this.logger.debug('device link error', { error: errorText(error) });
      return;
    }
    this.refusal = { code, message: error.message };
    // Server unavailable heals by itself (the service was not subscribed yet); bad credentials do not, so back off.
    if (code !== SERVER_UNAVAILABLE) client.options.reconnectPeriod = this.options.refusedRetryPeriodMs ?? 30_000;
    this.logger.warn('broker refused the device', { deviceId: this.options.deviceId, code, error: error.message });
    if (this.current !== 'closed') this.setState('refused');
  }

  private async receive(packet: IPublishPacket): Promise<void> {
    const extra = this.extraTopics.get(packet.topic);
    if (extra !== undefined) {
      // Not awaited: mqtt.js holds further incoming packets (a PUBACK the handler may wait for) until this returns.
      const payload = ownBytes(packet.payload);
      void Promise.resolve()
        .then(() => extra(payload))
        .catch((error: unknown) => this.logger.error('extra topic handler failed', { topic: packet.topic, error: errorText(error) }));
      return;
    }
    const handler = this.downlinkHandler;
    if (packet.topic !== downTopic(this.options.deviceId) || handler === undefined) {
      this.logger.warn('ignored a message on an unexpected topic', { topic: packet.topic });
      return;
    }
    try {
      await handler(ownBytes(packet.payload));
    } catch (error) {
      this.logger.error('downlink handler failed', { error: errorText(error) });
    }
  }

  private setState(state: DeviceLinkState): void {
    if (this.current === state) return;
    this.current = state;
    for (const handler of this.stateHandlers) {
      try {
        handler(state);
      } catch (error) {
        this.logger.error('state handler threw', { error: errorText(error) });
      }
    }
  }
}
