export type DownlinkHandler = (payload: Uint8Array) => Promise<void> | void;

/** 'acknowledged' once the broker has the uplink; 'kept' when the link closed first (it stays in the outbox). */
export type DeliveryOutcome = 'acknowledged' | 'kept';

export interface SendReceipt {
  /** The outbox entry's id. */
  readonly id: string;
  /** Never rejects. */
  readonly delivery: Promise<DeliveryOutcome>;
}

/**
 * A device's side of the transport. `DeviceLink` (MQTT) is the default; device logic tests can use an in-memory one.
 */
export interface DeviceTransport {
  onDownlink(handler: DownlinkHandler): void;
  /** Resolves once the uplink is in the outbox (on disk, for a file-backed one); delivery follows. */
  send(payload: Uint8Array): Promise<SendReceipt>;
  /** A device output (a gate's opening signal); resolves on PUBACK. Not kept in the outbox: a stale signal is worse than none. */
  publishOutput(output: string, payload: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
