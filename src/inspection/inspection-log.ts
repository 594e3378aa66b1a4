import { EventEmitter } from 'node:events';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../common/clock.js';
import { InspectionEventEntity, type InspectionKind } from '../persistence/entities/inspection-event.entity.js';
import { transaction } from '../persistence/write-lock.js';

export interface InspectionRecord {
  readonly processGroup: string;
  readonly actorId: string;
  readonly kind: InspectionKind;
  readonly type: string;
  readonly detail: Record<string, unknown>;
}

export interface StoredInspectionRecord extends InspectionRecord {
  readonly seq: number;
  readonly at: number;
}

const BUFFER_DELAY_MS = 10;

interface InspectionEvents {
  recorded: [StoredInspectionRecord];
}

/**
 * The inspection trace: every transition and every message in or out, kept per process group.
 * Rows are written in the caller's transaction when there is one; listeners hear about them after commit.
 */
export class InspectionLog {
  private readonly emitter = new EventEmitter<InspectionEvents>();
  private buffer: InspectionRecord[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async write(records: readonly InspectionRecord[], manager?: EntityManager): Promise<StoredInspectionRecord[]> {
    if (records.length === 0) return [];
    const at = this.clock.now();
    // One row per insert: the generated sequence number of each row is then reported alike by every driver.
    const insert = async (em: EntityManager) => {
      const seqs: number[] = [];
      for (const record of records) {
        const result = await em.getRepository(InspectionEventEntity).insert({ ...record, at });
        seqs.push(Number((result.identifiers[0] as { seq?: unknown } | undefined)?.seq));
      }
      return seqs;
    };
    const seqs = manager === undefined ? await transaction(this.dataSource, insert) : await insert(manager);
    return records.map((record, index) => ({ ...record, seq: seqs[index] ?? 0, at }));
  }

  /** Announces rows once their transaction has committed. */
  announce(records: readonly StoredInspectionRecord[]): void {
    for (const record of records) this.emitter.emit('recorded', record);
  }

  async record(records: readonly InspectionRecord[]): Promise<void> {
    this.announce(await this.write(records));
  }

  /**
   * Adds records off the hot path: they are written together a few milliseconds later, in order. For steps that
   * change no state; anything written with state goes through `write` in its transaction.
   */
  enqueue(records: readonly InspectionRecord[]): void {
    if (records.length === 0) return;
    this.buffer.push(...records);
    this.flushTimer ??= setTimeout(() => void this.flush(), BUFFER_DELAY_MS);
  }

  /** Writes what `enqueue` buffered; resolves when it is stored. */
  flush(): Promise<void> {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const records = this.buffer;
    this.buffer = [];
    if (records.length === 0) return this.flushing;
    // The write is queued now (SQLite writes run in call order), so buffered records keep their place in the trace.
    const written = this.write(records).then((stored) => this.announce(stored));
    this.flushing = this.flushing.then(() => written);
    return this.flushing;
  }

  onRecorded(listener: (record: StoredInspectionRecord) => void): () => void {
    this.emitter.on('recorded', listener);
    return () => this.emitter.off('recorded', listener);
  }

  async processGroup(processGroup: string): Promise<StoredInspectionRecord[]> {
    await this.flush();
    const rows = await this.dataSource.getRepository(InspectionEventEntity).find({ where: { processGroup }, order: { seq: 'ASC' } });
    return rows.map((row) => ({ ...row, detail: row.detail as Record<string, unknown> }));
  }

  async processGroups(limit: number): Promise<{ processGroup: string; events: number; lastAt: number }[]> {
    const rows: { processGroup: string; events: string | number; lastAt: string | number }[] = await this.dataSource
      .getRepository(InspectionEventEntity)
      .createQueryBuilder('e')
      .select('e.processGroup', 'processGroup')
      .addSelect('COUNT(*)', 'events')
      .addSelect('MAX(e.at)', 'lastAt')
      .groupBy('e.processGroup')
      .orderBy('MAX(e.at)', 'DESC')
      .limit(limit)
      .getRawMany();
    return rows.map((row) => ({ processGroup: row.processGroup, events: Number(row.events), lastAt: Number(row.lastAt) }));
  }
}
