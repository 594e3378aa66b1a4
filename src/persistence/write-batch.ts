import type { DataSource } from 'typeorm';
import type { OutboxEntity } from './entities/outbox.entity.js';
import type { TerminalMirrorEntity } from './entities/terminal-mirror.entity.js';
import { executeAll, Sql, type SqlTarget } from './raw-sql.js';
import { actorSnapshotStatements, type ActorSnapshotRow } from './rows/actor-snapshot-rows.js';
import { insertInspectionRows, lastInspectionSeq, numberedInspectionStatements, type InspectionRowValues } from './rows/inspection-rows.js';
import { outboxInsertStatements, outboxSentStatements, type SentMark } from './rows/outbox-rows.js';
import { rememberReplayEntries, storeReplayStatements, type ReplayEntryValues } from './rows/replay-rows.js';
import { taskResultStatements, type TaskResultValues } from './rows/task-result-rows.js';
import { terminalMirrorStatements } from './rows/terminal-mirror-rows.js';
import { lastSeenStatements, type LastSeenValues } from './rows/device-rows.js';
import { execSqliteScript, type BoundStatement } from './sqlite-script.js';
import { withWriteLock } from './write-lock.js';
import { perDataSource } from './per-data-source.js';

/** What one atomic unit of work writes: an actor step, a delivered message, replay entries, trace rows. */
export interface WriteUnit {
  readonly snapshots?: readonly ActorSnapshotRow[];
  readonly outbox?: readonly OutboxEntity[];
  /** Outbox rows consumed (an external reply, an event): marked sent. */
  readonly markSent?: readonly SentMark[];
  /** Outbox rows delivered: marked sent unless already marked. */
  readonly markSentIfPending?: readonly SentMark[];
  readonly trace?: readonly InspectionRowValues[];
  readonly replay?: readonly ReplayEntryValues[];
  /** Replay entries to store whose freshness was decided elsewhere (the replay window's memory): nothing is returned. */
  readonly replayStored?: readonly ReplayEntryValues[];
  readonly mirrors?: readonly TerminalMirrorEntity[];
  readonly taskResults?: readonly TaskResultValues[];
  /** The device registry's last-seen times. */
  readonly lastSeen?: readonly LastSeenValues[];
}

export interface WriteUnitResult {
  /** The generated sequence number of each trace row, in order. */
  readonly traceSeqs: readonly number[];
  /** Whether each replay entry was new, in order. */
  readonly replayFresh: readonly boolean[];
}

interface PendingUnit {
  readonly unit: WriteUnit;
  readonly resolve: (result: WriteUnitResult) => void;
  readonly reject: (error: unknown) => void;
}

const MAX_UNITS = 128;
/** How long a deferred unit waits for a batch to ride with before it is written alone. */
const DEFER_MS = 10;
const BEGIN: BoundStatement = { statement: new Sql('BEGIN'), params: [] };
const COMMIT: BoundStatement = { statement: new Sql('COMMIT'), params: [] };
const ROLLBACK: BoundStatement = { statement: new Sql('ROLLBACK'), params: [] };
/** SQLite's answer to a BEGIN while a transaction is open. */
const NESTED_BEGIN = /cannot start a transaction within a transaction/;

/**
 * Writes units of work that arrive together in one transaction with one statement per table and kind of write, so
 * that N actor steps cost a handful of statements instead of a few per step. Each unit still commits all or nothing:
 * a batch commits whole, and if it fails, each of its units is written again alone and only the failing one fails.
 */
export class WriteBatcher {
  private open: PendingUnit[] | null = null;
  private deferred: { readonly pending: PendingUnit; readonly settled: Promise<void> }[] = [];
  private deferTimer: NodeJS.Timeout | undefined;
  /** SQLite: the last trace sequence number given (read once; this process is the table's only writer). */
  private lastSeq: number | undefined;

  constructor(private readonly dataSource: DataSource) {}

  write(unit: WriteUnit): Promise<WriteUnitResult> {
    return new Promise<WriteUnitResult>((resolve, reject) => {
      const pending: PendingUnit = { unit, resolve, reject };
      if (this.open !== null && this.open.length < MAX_UNITS) {
        this.open.push(pending);
        return;
      }
      const batch = [pending];
      this.open = batch;
      void this.commit(batch);
    });
  }

  /**
   * A unit that need not be written at once (trace rows of a step that changed nothing, a message digest the replay
   * window already answered from memory): it rides with the next batch, or after `DEFER_MS` is written alone. Like any
   * unit it is never committed after a unit written after it: each batch takes every unit deferred until it begins.
   */
  defer(unit: WriteUnit): Promise<WriteUnitResult> {
    let settle: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const written = new Promise<WriteUnitResult>((resolve, reject) => {
      this.deferred.push({
        pending: { unit, resolve, reject },
        settled,
      });
    });
    void written.then(settle, settle);
    this.deferTimer ??= setTimeout(() => void this.flushDeferred(), DEFER_MS);
    return written;
  }

  /** Writes the deferred units now (with the open batch, if there is one); resolves once they are committed or failed. */
  async flushDeferred(): Promise<void> {
    const waiting = this.deferred.map((entry) => entry.settled);
    if (waiting.length > 0 && this.open === null) {
      const batch: PendingUnit[] = [];
      this.open = batch;
      void this.commit(batch);
    }
    await Promise.all(waiting);
  }

  private takeDeferred(): PendingUnit[] {
    if (this.deferTimer !== undefined) clearTimeout(this.deferTimer);
    this.deferTimer = undefined;
    return this.deferred.splice(0).map((entry) => entry.pending);
  }

  private async commit(batch: PendingUnit[]): Promise<void> {
    const close = (): readonly WriteUnit[] => {
      // Units that arrive once the batch is being written go to the next one.
      if (this.open === batch) {
        this.open = null;
        batch.unshift(...this.takeDeferred());
      }
      return batch.map((pending) => pending.unit);
    };
    try {
      const results = await this.inTransaction(close);
      batch.forEach((pending, index) => pending.resolve(results[index] as WriteUnitResult));
      return;
    } catch (error) {
      close();
      if (batch.length === 0) return;
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
    }
    await Promise.all(
      batch.map(async (pending) => {
        try {
          const [result] = await this.inTransaction(() => [pending.unit]);
          pending.resolve(result as WriteUnitResult);
        } catch (error) {
          pending.reject(error);
        }
      }),
    );
  }

  /**
   * `start` gives the units when the transaction begins, so the batch takes every unit that arrived until then.
   * On SQLite, inside the write lock, with BEGIN and COMMIT as prepared statements on the driver's one connection; a
   * batch that is one statement needs neither. On PostgreSQL, a transaction on a pooled connection.
   */
  private inTransaction(start: () => readonly WriteUnit[]): Promise<WriteUnitResult[]> {
    const dataSource = this.dataSource;
    if (dataSource.options.type !== 'sqlite') return dataSource.transaction((em) => writeUnits(em, start()));
    return withWriteLock(dataSource, async () => this.writeOnSqlite(start()));
  }

  /**
   * Every write but the replay entries that must say which were new (`replay`, not `replayStored`) goes in one script
   * (BEGIN ... COMMIT): one trip to SQLite's worker thread for the whole batch, where statement by statement each trip
   * waits for the busy main thread to come round to it. Trace rows are numbered here, so no statement needs to return
   * anything. `replay` entries alone are one statement (atomic by itself); with other writes, they run between BEGIN
   * and COMMIT.
   */
  private async writeOnSqlite(units: readonly WriteUnit[]): Promise<WriteUnitResult[]> {
    const dataSource = this.dataSource;
    const replay = units.flatMap((unit) => unit.replay ?? []);
    const others = units.filter((unit) => KINDS.some((kind) => kind !== 'replay' && (unit[kind]?.length ?? 0) > 0));
    if (others.length === 0) return splitResults(units, [], await rememberReplayEntries(dataSource, replay));
    const trace = units.flatMap((unit) => unit.trace ?? []);
    this.lastSeq ??= await lastInspectionSeq(dataSource);
    const firstSeq = this.lastSeq + 1;
    this.lastSeq += trace.length;
    const seqs = trace.map((_, index) => firstSeq + index);
    const statements = [...otherStatements(units), ...numberedInspectionStatements(trace, firstSeq)];
    if (replay.length === 0) {
      await this.script(dataSource, [BEGIN, ...statements, COMMIT]);
      return splitResults(units, seqs, []);
    }
    await this.script(dataSource, [BEGIN, ...statements]);
    try {
      const fresh = await rememberReplayEntries(dataSource, replay);
      await this.script(dataSource, [COMMIT]);
      return splitResults(units, seqs, fresh);
    } catch (error) {
      await execSqliteScript(dataSource, [ROLLBACK]).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Runs a script; if it fails inside a transaction it opened, rolls that back (SQLite may have done so already). A
   * BEGIN refused because a transaction is open means a write that bypassed the write lock: that transaction is not
   * ours to roll back, so the batch fails alone and loudly.
   */
  private async script(dataSource: DataSource, statements: readonly BoundStatement[]): Promise<void> {
    try {
      await execSqliteScript(dataSource, statements);
    } catch (error) {
      if (statements[0] === BEGIN && !NESTED_BEGIN.test(error instanceof Error ? error.message : String(error))) await execSqliteScript(dataSource, [ROLLBACK]).catch(() => undefined);
      throw error;
    }
  }
}

/** The statements of every kind of write but trace rows and replay entries, in a fixed order. */
function otherStatements(units: readonly WriteUnit[]): BoundStatement[] {
  const all = <T>(pick: (unit: WriteUnit) => readonly T[] | undefined): T[] => units.flatMap((unit) => pick(unit) ?? []);
  return [
    ...actorSnapshotStatements(all((unit) => unit.snapshots)),
    ...outboxInsertStatements(all((unit) => unit.outbox)),
    ...terminalMirrorStatements(all((unit) => unit.mirrors)),
    ...taskResultStatements(all((unit) => unit.taskResults)),
    ...outboxSentStatements(all((unit) => unit.markSent)),
    ...outboxSentStatements(all((unit) => unit.markSentIfPending), true),
    ...lastSeenStatements(all((unit) => unit.lastSeen)),
    ...storeReplayStatements(all((unit) => unit.replayStored)),
  ];
}

/** Hands each unit its share of the trace sequence numbers and replay answers, in unit order. */
function splitResults(units: readonly WriteUnit[], seqs: readonly number[], fresh: readonly boolean[]): WriteUnitResult[] {
  let traceIndex = 0;
  let replayIndex = 0;
  return units.map((unit) => {
    const traceCount = unit.trace?.length ?? 0;
    const replayCount = unit.replay?.length ?? 0;
    const result = { traceSeqs: seqs.slice(traceIndex, traceIndex + traceCount), replayFresh: fresh.slice(replayIndex, replayIndex + replayCount) };
    traceIndex += traceCount;
    replayIndex += replayCount;
    return result;
  });
}

const KINDS = ['snapshots', 'outbox', 'markSent', 'markSentIfPending', 'trace', 'replay', 'mirrors', 'taskResults', 'lastSeen', 'replayStored'] as const;

/** The data source's one batcher: every unit written through it shares its transactions. */
export const writeBatcher = perDataSource((dataSource) => new WriteBatcher(dataSource));

/** PostgreSQL: writes the units statement by statement in the caller's transaction; trace rows return their numbers. */
export async function writeUnits(em: SqlTarget, units: readonly WriteUnit[]): Promise<WriteUnitResult[]> {
  const fresh = await rememberReplayEntries(em, units.flatMap((unit) => unit.replay ?? []));
  await executeAll(em, otherStatements(units));
  const seqs = await insertInspectionRows(em, units.flatMap((unit) => unit.trace ?? []));
  return splitResults(units, seqs, fresh);
}
