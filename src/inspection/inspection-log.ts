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

interface InspectionEvents {
  recorded: [StoredInspectionRecord];
}

/**
 * The inspection trace: every transition and every message in or out, kept per process group.
 * Rows are written with the unit of work they belong to (an actor step); listeners hear about them after commit.
 */
export class InspectionLog {
  private readonly emitter = new EventEmitter<InspectionEvents>();
  private readonly deferred = new Set<Promise<void>>();

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
   * Adds records off the hot path: they ride with the next batch of writes, or are written a few milliseconds later,
   * in order (WriteBatcher.defer). For steps that change no state; anything written with state goes through `write`
   * in its transaction.
   */
  enqueue(records: readonly InspectionRecord[]): void {
    if (records.length === 0) return;
    const rows = this.rows(records);
    const written = writeBatcher(this.dataSource)
      .defer({ trace: rows })
      .then(({ traceSeqs }) => this.announce(this.stored(rows, traceSeqs)))
      .catch(() => undefined);
    this.deferred.add(written);
    void written.then(() => this.deferred.delete(written));
  }

  /** Writes what `enqueue` deferred; resolves when it is stored. */
  async flush(): Promise<void> {
    if (this.deferred.size === 0) return;
    const waiting = [...this.deferred];
    await writeBatcher(this.dataSource).flushDeferred();
    await Promise.all(waiting);
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
