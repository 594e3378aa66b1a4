import type { DeviceId } from '../../protocol/ids.js';
import type { DeviceStatus } from './topics.js';

export type UplinkHandler = (deviceId: DeviceId, payload: Uint8Array) => Promise<void> | void;
export type StatusHandler = (deviceId: DeviceId, status: DeviceStatus) => Promise<void> | void;

/**
 * The service providing system's side of the device transport: `InProcessServiceLink` on the embedded broker,
 * `BrokerLink` (mqtt.js) on an external one. Handlers run one message at a time per device, in arrival order.
 */
export interface ServiceTransport {
  /** Whether downlinks can be published now. */
  readonly connected: boolean;
  onUplink(handler: UplinkHandler): void;
  onStatus(handler: StatusHandler): void;
  /** Resolves when the broker has acknowledged the message (QoS 1 PUBACK). */
  publishDown(deviceId: DeviceId, payload: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
