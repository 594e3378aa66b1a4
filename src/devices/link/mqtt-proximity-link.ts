import type { DeviceId } from '../../protocol/ids.js';
import { proximityTopic } from '../../transport/mqtt/topics.js';
import type { ProximityHandler, ProximityLink } from '../modules/proximity-link.js';
import type { DeviceLink } from './device-link.js';

/**
 * The proximity link (the spec's infrared) relayed over MQTT, for devices running as separate processes: a frame for
 * a nearby device is published on that device's proximity topic, and each device subscribes to its own. The broker
 * lets any authenticated device publish there and only the device itself read it; what a frame says is checked by
 * its receiver (signatures and test patterns), never trusted because of the topic it came on.
 */
export class MqttProximityLink implements ProximityLink {
  private readonly handlers: ProximityHandler[] = [];
  private closed = false;

  constructor(
    private readonly link: DeviceLink,
    deviceId: DeviceId,
  ) {
    link.subscribeTopic(proximityTopic(deviceId), async (frame) => {
      if (this.closed) return;
      for (const handler of this.handlers) await handler(frame);
    });
  }

  async send(to: DeviceId, frame: Uint8Array): Promise<void> {
    if (this.closed) throw new Error('proximity link closed');
    await this.link.publishTo(proximityTopic(to), frame);
  }

  onFrame(handler: ProximityHandler): void {
    this.handlers.push(handler);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
