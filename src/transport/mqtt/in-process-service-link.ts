import type { Aedes, AedesPublishPacket } from 'aedes';
import type { DeviceId } from '../../protocol/ids.js';
import { asBuffer, ownBytes } from './mqtt-client-support.js';
import { ServiceInbox } from './service-inbox.js';
import type { ServiceTransport, StatusHandler, UplinkHandler } from './service-transport.js';
import { SERVICE_STATUS_FILTER, SERVICE_UPLINK_FILTER, downTopic } from './topics.js';
import { silentLogger, type TransportLogger } from './transport-logger.js';

export interface InProcessServiceLinkOptions {
  /** Messages received but not yet handled, over all devices; above it the broker's deliveries wait (backpressure). */
  readonly maxPendingMessages?: number;
  readonly logger?: TransportLogger;
  /** Called once subscribed (the embedded broker admits devices from then on). */
  readonly onAttached?: () => void;
}

/**
 * The service's side of the embedded broker, without a socket: aedes hands it uplinks and statuses in-process and takes
 * its downlinks with `publish`. The contract is BrokerLink's (handlers one message at a time per device; a downlink
 * resolves once the broker has taken it), at one TCP hop and two MQTT encodings fewer per message. Devices still
 * attach over TCP with their own credentials and ACLs; only the service, which shares the broker's process, skips them.
 */
export class InProcessServiceLink implements ServiceTransport {
  private readonly inbox: ServiceInbox;
  private attached = false;
  private closed = false;
  private readonly deliver = (packet: AedesPublishPacket, callback: () => void): void => {
    this.inbox.accept(packet.topic, ownBytes(packet.payload));
    void this.inbox.whenBelow(this.options.maxPendingMessages ?? 1_000).then(callback);
  };

  constructor(
    private readonly broker: Aedes,
    private readonly options: InProcessServiceLinkOptions = {},
  ) {
    this.inbox = new ServiceInbox(options.logger ?? silentLogger);
  }

  get connected(): boolean {
    return this.attached && !this.closed;
  }

  onUplink(handler: UplinkHandler): void {
    this.inbox.onUplink(handler);
  }

  onStatus(handler: StatusHandler): void {
    this.inbox.onStatus(handler);
  }

  /** Subscribes to every device's up and status topics; call once, after registering the handlers. */
  async attach(): Promise<void> {
    if (this.attached || this.closed) throw new Error('InProcessServiceLink.attach may be called once, before close()');
    if (!this.inbox.hasUplinkHandler) throw new Error('register onUplink before attach()');
    await this.subscribe(SERVICE_UPLINK_FILTER);
    await this.subscribe(SERVICE_STATUS_FILTER);
    this.attached = true;
    this.options.onAttached?.();
  }

  publishDown(deviceId: DeviceId, payload: Uint8Array): Promise<void> {
    if (!this.connected) return Promise.reject(new Error('InProcessServiceLink is not attached'));
    const packet = { cmd: 'publish', topic: downTopic(deviceId), payload: asBuffer(payload), qos: 1, retain: false, dup: false } as const;
    return new Promise((resolve, reject) => {
      this.broker.publish(packet, (error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }

  /** Stops receiving and waits for running handlers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.attached) {
      await this.unsubscribe(SERVICE_UPLINK_FILTER);
      await this.unsubscribe(SERVICE_STATUS_FILTER);
    }
    await this.inbox.idle();
  }

  private subscribe(filter: string): Promise<void> {
    return new Promise((resolve) => this.broker.subscribe(filter, this.deliver, resolve));
  }

  private unsubscribe(filter: string): Promise<void> {
    return new Promise((resolve) => this.broker.unsubscribe(filter, this.deliver, resolve));
  }
}
