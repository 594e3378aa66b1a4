import { connect, type IConnackPacket, type IPublishPacket, type MqttClient } from 'mqtt';
import type { DeviceId } from '../../protocol/ids.js';
import { asBuffer, connackRefusalCode, disableNagle, ownBytes } from './mqtt-client-support.js';
import { ServiceInbox } from './service-inbox.js';
import type { ServiceTransport, StatusHandler, UplinkHandler } from './service-transport.js';
import { SERVICE_STATUS_FILTER, SERVICE_UPLINK_FILTER, downTopic } from './topics.js';
import { errorText, silentLogger, type TransportLogger } from './transport-logger.js';

export interface BrokerLinkOptions {
  /** Stable across restarts: with a persistent session the broker keeps uplinks while the service is away. */
  readonly clientId: string;
  readonly reconnectPeriodMs?: number;
  /** Bounds the first connection in `connect()` and each CONNACK wait. */
  readonly connectTimeoutMs?: number;
  readonly keepaliveSeconds?: number;
  /** Messages received but not yet handled, over all devices; above it the link stops reading (backpressure). */
  readonly maxPendingMessages?: number;
  readonly logger?: TransportLogger;
}

interface FirstConnection {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * The service providing system's MQTT client (mqtt.js). Works against the embedded broker and an external one
 * (Mosquitto, EMQX): persistent session (clean false), QoS 1 both ways, handlers awaited one message at a time per
 * device. Messages are acknowledged to the broker on receipt; at most `maxPendingMessages` wait for their handler.
 */
export class BrokerLink implements ServiceTransport {
  private client: MqttClient | undefined;
  private firstConnection: FirstConnection | undefined;
  private readonly inbox: ServiceInbox;
  private readonly unacknowledged = new Set<(error: Error) => void>();
  private readonly logger: TransportLogger;
  private closed = false;

  constructor(private readonly options: BrokerLinkOptions) {
    if (options.clientId.length === 0) throw new TypeError('BrokerLink needs a clientId');
    this.logger = options.logger ?? silentLogger;
    this.inbox = new ServiceInbox(this.logger);
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  onUplink(handler: UplinkHandler): void {
    this.inbox.onUplink(handler);
  }

  onStatus(handler: StatusHandler): void {
    this.inbox.onStatus(handler);
  }

  /**
   * Resolves once connected and subscribed to every device's up and status topics; rejects if the broker refuses the
   * CONNECT or no connection succeeds within `connectTimeoutMs`. Afterwards the link reconnects by itself.
   */
  async connect(url: string, username?: string, password?: string): Promise<void> {
    if (this.client !== undefined || this.closed) throw new Error('BrokerLink.connect may be called once, before close()');
    if (!this.inbox.hasUplinkHandler) throw new Error('register onUplink before connect(): queued uplinks arrive right after CONNACK');
    const timeoutMs = this.options.connectTimeoutMs ?? 10_000;
    const client = connect(url, {
      clientId: this.options.clientId,
      clean: false,
      protocolVersion: 4,
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
      reconnectPeriod: this.options.reconnectPeriodMs ?? 1_000,
      connectTimeout: timeoutMs,
      keepalive: this.options.keepaliveSeconds ?? 30,
      resubscribe: false,
      // A refusal after the first connection (credentials rotated on the broker) is retried, not fatal.
      reconnectOnConnackError: true,
    });
    this.client = client;
    client.handleMessage = (packet, done) => this.receive(packet, done);
    client.on('connect', (connack) => {
      disableNagle(client.stream);
      this.afterConnack(client, connack);
    });
    client.on('error', (error) => this.clientError(error));
    client.on('offline', () => this.logger.warn('broker link offline; reconnecting', { url }));
    try {
      await this.firstConnectionWithin(url, timeoutMs);
    } catch (error) {
      this.client = undefined;
      await client.endAsync(true);
      throw error;
    }
  }

  publishDown(deviceId: DeviceId, payload: Uint8Array): Promise<void> {
    const client = this.client;
    if (client === undefined || this.closed) return Promise.reject(new Error('BrokerLink is not connected'));
    const topic = downTopic(deviceId);
    return new Promise((resolve, reject) => {
      this.unacknowledged.add(reject);
      client.publish(topic, asBuffer(payload), { qos: 1 }, (error) => {
        this.unacknowledged.delete(reject);
        if (error) reject(error);
        else resolve();
      });
    });
  }

  /** Stops receiving, fails downlinks the broker has not acknowledged, and waits for running handlers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) await client.endAsync(true);
    for (const reject of this.unacknowledged) reject(new Error('BrokerLink closed before the broker acknowledged the downlink'));
    this.unacknowledged.clear();
    await this.inbox.idle();
  }

  private firstConnectionWithin(url: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => settle(new Error(`mqtt: no connection to ${url} within ${timeoutMs} ms`)), timeoutMs);
      const settle = (error?: Error): void => {
        clearTimeout(timer);
        this.firstConnection = undefined;
        if (error) reject(error);
        else resolve();
      };
      this.firstConnection = { resolve: () => settle(), reject: settle };
    });
  }

  private afterConnack(client: MqttClient, connack: IConnackPacket): void {
    this.logger.debug('broker link connected', { sessionPresent: connack.sessionPresent });
    if (connack.sessionPresent) {
      this.firstConnection?.resolve();
      return;
    }
    client.subscribe({ [SERVICE_UPLINK_FILTER]: { qos: 1 }, [SERVICE_STATUS_FILTER]: { qos: 1 } }, (error) => {
      if (error) {
        this.logger.error('broker link could not subscribe to uplinks', { error: errorText(error) });
        this.firstConnection?.reject(new Error(`mqtt: subscribing to ${SERVICE_UPLINK_FILTER} failed (${errorText(error)})`));
        return;
      }
      this.firstConnection?.resolve();
    });
  }

  private clientError(error: Error): void {
    const code = connackRefusalCode(error);
    if (code !== undefined && this.firstConnection !== undefined) {
      this.firstConnection.reject(new Error(`mqtt: the broker refused the service's CONNECT (${error.message}, return code ${code})`));
      return;
    }
    this.logger.warn('broker link error', { error: errorText(error) });
  }

  /** Called by mqtt.js before it acknowledges a PUBLISH; delaying `done` stops reading from the broker. */
  private receive(packet: IPublishPacket, done: (error?: Error) => void): void {
    this.inbox.accept(packet.topic, ownBytes(packet.payload));
    void this.inbox.whenBelow(this.options.maxPendingMessages ?? 1_000).then(() => done());
  }
}
