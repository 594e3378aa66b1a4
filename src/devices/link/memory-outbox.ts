import { OutboxFullError, outboxId, type Outbox, type OutboxEntry } from './outbox.js';

/** The default outbox: survives broker outages, not a restart of the device process. */
export class MemoryOutbox implements Outbox {
  private readonly entries = new Map<string, OutboxEntry>();
  private sequence = 0;

  constructor(private readonly capacity: number = 10_000) {}

  async load(): Promise<readonly OutboxEntry[]> {
    return [...this.entries.values()];
  }

  async add(payload: Uint8Array): Promise<OutboxEntry> {
    if (this.entries.size >= this.capacity) throw new OutboxFullError(this.capacity);
    this.sequence += 1;
    const entry = { id: outboxId(this.sequence), payload: new Uint8Array(payload) };
    this.entries.set(entry.id, entry);
    return entry;
  }

  async remove(id: string): Promise<void> {
    this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
