import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { openDataSource } from './data-source.js';
import { CORE_ENTITIES, OutboxEntity } from './entities/index.js';
import { CORE_MIGRATIONS } from './migrations/index.js';
import { readActorSnapshot, type ActorSnapshotRow } from './rows/actor-snapshot-rows.js';
import { writeBatcher } from './write-batch.js';

const outboxRow = (messageId: string): OutboxEntity =>
  Object.assign(new OutboxEntity(), { messageId, destinationKind: 'device', destination: 'dev:gate:g1', replyTo: null, payload: 'AA==', processGroup: 'pg', status: 'pending', createdAt: 1, sentAt: null });

const snapshot = (actorId: string, sequence: number): ActorSnapshotRow => ({
  actorId,
  kind: 'director:data-update',
  machineVersion: 1,
  status: 'active',
  processGroup: actorId,
  stateValue: 'awaitingUpload',
  snapshotJson: JSON.stringify({ context: { sequence, quote: "it's" } }),
  sequence,
  deadlineAt: null,
  updatedAt: sequence,
});

const trace = (type: string) => ({ processGroup: 'pg', actorId: 'a', kind: 'transition', type, detail: { note: "o'clock\u0000" }, at: 5 });

describe('WriteBatcher (SQLite)', () => {
  let folder: string;
  let dataSource: DataSource;

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'tessera-write-batch-'));
    dataSource = await openDataSource({ url: null, sqlitePath: join(folder, 'db.sqlite') }, CORE_ENTITIES, CORE_MIGRATIONS);
  });

  afterEach(async () => {
    await dataSource.destroy();
    rmSync(folder, { recursive: true, force: true });
  });

  it('writes units that arrive together in one batch, numbering trace rows in order', async () => {
    const batcher = writeBatcher(dataSource);
    const [first, second, third] = await Promise.all([
      batcher.write({ snapshots: [snapshot('a', 1)], outbox: [outboxRow('m1')], trace: [trace('one'), trace('two')] }),
      batcher.write({ replay: [{ scope: 's', entry: 'e', expiresAt: 9 }], trace: [trace('three')] }),
      batcher.write({ replay: [{ scope: 's', entry: 'e', expiresAt: 9 }], markSentIfPending: [{ messageId: 'm1', at: 7 }] }),
    ]);
    expect([...(first?.traceSeqs ?? []), ...(second?.traceSeqs ?? [])]).toEqual([1, 2, 3]);
    expect(second?.replayFresh).toEqual([true]);
    expect(third?.replayFresh).toEqual([false]);
    const rows = await dataSource.query('SELECT "seq", "type", "detail" FROM "inspection_event" ORDER BY "seq"');
    expect(rows).toEqual([
      { seq: 1, type: 'one', detail: JSON.stringify(trace('one').detail) },
      { seq: 2, type: 'two', detail: JSON.stringify(trace('two').detail) },
      { seq: 3, type: 'three', detail: JSON.stringify(trace('three').detail) },
    ]);
    expect(await dataSource.query('SELECT "status", "sentAt" FROM "outbox"')).toEqual([{ status: 'sent', sentAt: 7 }]);
    expect((await readActorSnapshot(dataSource, 'a'))?.snapshotJson).toBe(snapshot('a', 1).snapshotJson);
    const next = await batcher.write({ snapshots: [snapshot('a', 2)], trace: [trace('four')] });
    expect(next.traceSeqs).toEqual([4]);
    expect((await readActorSnapshot(dataSource, 'a'))?.sequence).toBe(2);
  });

  it('fails only the unit that cannot be written; the others of its batch are written alone', async () => {
    const batcher = writeBatcher(dataSource);
    await batcher.write({ outbox: [outboxRow('taken')] });
    const results = await Promise.allSettled([
      batcher.write({ snapshots: [snapshot('b', 1)], trace: [trace('kept')] }),
      batcher.write({ snapshots: [snapshot('c', 1)], outbox: [outboxRow('taken')], trace: [trace('lost')] }),
      batcher.write({ outbox: [outboxRow('m2')] }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await readActorSnapshot(dataSource, 'b')).not.toBeNull();
    expect(await readActorSnapshot(dataSource, 'c')).toBeNull();
    expect((await dataSource.query('SELECT "type" FROM "inspection_event"')).map((row: { type: string }) => row.type)).toEqual(['kept']);
    expect(await dataSource.query('SELECT COUNT(*) AS "count" FROM "outbox"')).toEqual([{ count: 2 }]);
  });

  it('writes a deferred unit with the next batch, before the units of that batch, or alone once its delay runs out', async () => {
    const batcher = writeBatcher(dataSource);
    const deferred = batcher.defer({ trace: [trace('deferred')] });
    const written = await batcher.write({ snapshots: [snapshot('d', 1)], trace: [trace('step')] });
    expect((await deferred).traceSeqs).toEqual([1]);
    expect(written.traceSeqs).toEqual([2]);
    const alone = await batcher.defer({ replay: [{ scope: 'msg:x', entry: 'e', expiresAt: 9 }] });
    expect(alone.replayFresh).toEqual([true]);
    const flushed = batcher.defer({ trace: [trace('flushed')] });
    await batcher.flushDeferred();
    expect((await flushed).traceSeqs).toEqual([3]);
  });

  it('never rolls back a transaction someone opened behind the write lock: its own batch fails instead', async () => {
    await dataSource.query('BEGIN');
    await dataSource.query(`INSERT INTO "task_result" ("taskKey", "result", "completedAt") VALUES ('foreign', '1', 1)`);
    await expect(writeBatcher(dataSource).write({ snapshots: [snapshot('e', 1)] })).rejects.toThrow(/within a transaction/);
    await dataSource.query('COMMIT');
    expect(await dataSource.query('SELECT "taskKey" FROM "task_result"')).toEqual([{ taskKey: 'foreign' }]);
    expect(await readActorSnapshot(dataSource, 'e')).toBeNull();
  });
});
