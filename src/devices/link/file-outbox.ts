import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { OutboxFullError, outboxId, type Outbox, type OutboxEntry } from './outbox.js';

const ENTRY_FILE = /^(\d{16})\.up$/;
const TEMP_SUFFIX = '.tmp';

/**
 * One file per pending uplink (`<sequence>.up`), written to a temporary name, synced and renamed, so a crash leaves
 * either a whole entry or none; removed on PUBACK; read back, oldest first, by `load()` on the next start.
 */
export class FileOutbox implements Outbox {
  private readonly pending = new Set<string>();
  private sequence = 0;
  private loaded = false;

  constructor(
    private readonly dir: string,
    private readonly capacity: number = 10_000,
  ) {}

  async load(): Promise<readonly OutboxEntry[]> {
    if (this.loaded) throw new Error('FileOutbox.load may be called once');
    await mkdir(this.dir, { recursive: true });
    const names = (await readdir(this.dir)).sort();
    const entries: OutboxEntry[] = [];
    for (const name of names) {
      if (name.endsWith(TEMP_SUFFIX)) {
        await unlink(join(this.dir, name)).catch(() => undefined); // a write the crash interrupted, never acknowledged
        continue;
      }
      const match = ENTRY_FILE.exec(name);
      if (match?.[1] === undefined) continue;
      const id = match[1];
      entries.push({ id, payload: new Uint8Array(await readFile(join(this.dir, name))) });
      this.pending.add(id);
      this.sequence = Math.max(this.sequence, Number(id));
    }
    this.loaded = true;
    return entries;
  }

  async add(payload: Uint8Array): Promise<OutboxEntry> {
    if (!this.loaded) throw new Error('FileOutbox.load must run before add: it finds the next sequence number');
    if (this.pending.size >= this.capacity) throw new OutboxFullError(this.capacity);
    this.sequence += 1;
    const id = outboxId(this.sequence);
    this.pending.add(id);
    try {
      await this.writeDurably(id, payload);
    } catch (error) {
      this.pending.delete(id);
      throw error;
    }
    return { id, payload: new Uint8Array(payload) };
  }

  async remove(id: string): Promise<void> {
    this.pending.delete(id);
    await unlink(this.path(id)).catch((error: unknown) => {
      // Structural, not instanceof: errors from node:fs may come from another realm (Jest's VM modules).
      const code: unknown = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
      if (code !== 'ENOENT') throw error;
    });
  }

  get size(): number {
    return this.pending.size;
  }

  private path(id: string): string {
    return join(this.dir, `${id}.up`);
  }

  private async writeDurably(id: string, payload: Uint8Array): Promise<void> {
    const temp = `${this.path(id)}${TEMP_SUFFIX}`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(payload);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.path(id));
  }
}
