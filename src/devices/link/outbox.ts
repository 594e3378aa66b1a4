/** One uplink waiting for the broker's PUBACK. Ids sort in the order the messages were sent. */
export interface OutboxEntry {
  readonly id: string;
  readonly payload: Uint8Array;
}

/**
 * Where a device keeps what it has sent until the broker acknowledges it. `MemoryOutbox` survives broker outages;
 * `FileOutbox` also survives a restart of the device process.
 */
export interface Outbox {
  /** Entries left by an earlier run, oldest first. Call once, before `add`. */
  load(): Promise<readonly OutboxEntry[]>;
  /** Durable when it resolves. Throws `OutboxFullError` when `capacity` entries are pending. */
  add(payload: Uint8Array): Promise<OutboxEntry>;
  remove(id: string): Promise<void>;
  readonly size: number;
}

export class OutboxFullError extends Error {
  override readonly name = 'OutboxFullError';
  constructor(readonly capacity: number) {
    super(`outbox full: ${capacity} uplinks are waiting for the broker`);
  }
}

/** Fixed width so that lexical order is numeric order. */
export function outboxId(sequence: number): string {
  return sequence.toString().padStart(16, '0');
}
