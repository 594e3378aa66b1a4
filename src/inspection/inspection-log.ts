import { EventEmitter } from 'node:events';
import type { DataSource } from 'typeorm';
import type { Clock } from '../common/clock.js';
import { InspectionEventEntity, type InspectionKind } from '../persistence/entities/inspection-event.entity.js';
import { writeBatcher } from '../persistence/write-batch.js';

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
 * Rows are written with the unit of work they belong to (an actor step); listeners hear about them after commit.
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

  /** The rows to write for `records` with a unit of work (see WriteBatcher), stamped now. */
  rows(records: readonly InspectionRecord[]): (InspectionRecord & { readonly at: number })[] {
    const at = this.clock.now();
    return records.map((record) => ({ ...record, at }));
  }

  /** The records as stored, with the sequence numbers their unit of work reported. */
  stored(rows: readonly (InspectionRecord & { readonly at: number })[], seqs: readonly number[]): StoredInspectionRecord[] {
    return rows.map((row, index) => ({ ...row, seq: seqs[index] ?? 0 }));
  }

  /** Writes records in a transaction of their own (shared with whatever else is being written). */
  async write(records: readonly InspectionRecord[]): Promise<StoredInspectionRecord[]> {
    if (records.length === 0) return [];
    const rows = this.rows(records);
    const { traceSeqs } = await writeBatcher(this.dataSource).write({ trace: rows });
    return this.stored(rows, traceSeqs);
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
    // The write joins the open batch now (batches are written in order), so buffered records keep their place in the trace.
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
