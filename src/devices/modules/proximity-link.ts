import type { DeviceId } from '../../protocol/ids.js';

export type ProximityHandler = (frame: Uint8Array) => Promise<void> | void;

/**
 * The spec's infrared link between two terminals held close together (DESIGN "Transports"): frames go to one nearby
 * device, nothing is kept, nothing passes the service providing system. In memory for unit tests; relayed over MQTT
 * for device processes.
 */
export interface ProximityLink {
  send(to: DeviceId, frame: Uint8Array): Promise<void>;
  onFrame(handler: ProximityHandler): void;
  close(): Promise<void>;
}

/** Devices in one process, each with an in-memory proximity link; a frame to an absent device is dropped. */
export class MemoryProximityHub {
  private readonly handlers = new Map<DeviceId, ProximityHandler[]>();

  link(deviceId: DeviceId): ProximityLink {
    const hub = this.handlers;
    return {
      send: async (to, frame) => {
        for (const handler of hub.get(to) ?? []) await handler(frame.slice());
      },
      onFrame: (handler) => hub.set(deviceId, [...(hub.get(deviceId) ?? []), handler]),
      close: async () => {
        hub.delete(deviceId);
      },
    };
  }
}
