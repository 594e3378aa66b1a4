import { KeyedSerialQueue } from './keyed-serial-queue.js';
import type { StatusHandler, UplinkHandler } from './service-transport.js';
import { parseDeviceStatus, parseDeviceTopic } from './topics.js';
import { errorText, type TransportLogger } from './transport-logger.js';

/**
 * What the service does with a message the broker hands it, whichever way it arrives (mqtt.js over TCP or aedes
 * in-process): routes it by topic to the uplink or status handler, one message at a time per device, in arrival order.
 */
export class ServiceInbox {
  private uplinkHandler: UplinkHandler | undefined;
  private statusHandler: StatusHandler | undefined;
  private readonly queue: KeyedSerialQueue;

  constructor(private readonly logger: TransportLogger) {
    this.queue = new KeyedSerialQueue((deviceId, error) => this.logger.error('device message handler failed', { deviceId, error: errorText(error) }));
  }

  onUplink(handler: UplinkHandler): void {
    this.uplinkHandler = handler;
  }

  onStatus(handler: StatusHandler): void {
    this.statusHandler = handler;
  }

  get hasUplinkHandler(): boolean {
    return this.uplinkHandler !== undefined;
  }

  accept(topic: string, payload: Uint8Array): void {
    const parsed = parseDeviceTopic(topic);
    const uplink = this.uplinkHandler;
    const statusHandler = this.statusHandler;
    if (parsed?.channel === 'up' && uplink !== undefined) {
      this.queue.enqueue(parsed.deviceId, () => uplink(parsed.deviceId, payload));
      return;
    }
    if (parsed?.channel === 'status') {
      const status = parseDeviceStatus(payload);
      // An empty retained payload clears a status; it is not news.
      if (status === undefined) this.logger.debug('ignored a status that is neither online nor offline', { topic });
      else if (statusHandler !== undefined) this.queue.enqueue(parsed.deviceId, () => statusHandler(parsed.deviceId, status));
      return;
    }
    this.logger.warn('ignored a message on an unexpected topic', { topic });
  }

  /** Resolves once fewer than `limit` messages wait for their handler (backpressure on the broker). */
  whenBelow(limit: number): Promise<void> {
    return this.queue.whenBelow(limit);
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }
}
