import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { openDataSource } from './data-source.js';
import { CORE_ENTITIES } from './entities/index.js';
import { CORE_MIGRATIONS } from './migrations/index.js';
import { readActorSnapshot, type ActorSnapshotRow } from './rows/actor-snapshot-rows.js';
import { PersistedReplayWindow } from './replay-window.js';
import { writeBatcher } from './write-batch.js';

const MINUTE = 60_000;

const stepRow = (actorId: string): ActorSnapshotRow => ({
  actorId,
  kind: 'director:remote-access',
  machineVersion: 1,
  status: 'active',
  processGroup: actorId,
  stateValue: 'waiting',
  snapshotJson: '{}',
  sequence: 1,
  deadlineAt: null,
  updatedAt: 1,
});

describe('PersistedReplayWindow (SQLite)', () => {
  let folder: string;
  let dataSource: DataSource;
  const open = () => openDataSource({ url: null, sqlitePath: join(folder, 'db.sqlite') }, CORE_ENTITIES, CORE_MIGRATIONS);
  const stored = async () => (await dataSource.query('SELECT "scope", "entry" FROM "replay_window" ORDER BY "scope", "entry"')) as { scope: string; entry: string }[];

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'tessera-replay-window-'));
    dataSource = await open();
  });

  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    rmSync(folder, { recursive: true, force: true });
  });

  it('answers a message digest from memory at once and stores it with the next batch', async () => {
    const window = new PersistedReplayWindow(dataSource);
    expect(window.remember('msg:usr:alice', 'd1', 10 * MINUTE)).toBe(true);
    expect(window.remember('msg:usr:alice', 'd1', 10 * MINUTE)).toBe(false);
    expect(window.remember('msg:usr:bob', 'd1', 10 * MINUTE)).toBe(true);
    await writeBatcher(dataSource).flushDeferred();
    expect(await stored()).toEqual([
      { scope: 'msg:usr:alice', entry: 'd1' },
      { scope: 'msg:usr:bob', entry: 'd1' },
    ]);
  });

  it('commits a digest no later than a step written after it', async () => {
    const window = new PersistedReplayWindow(dataSource);
    expect(window.remember('msg:usr:alice', 'd2', 10 * MINUTE)).toBe(true);
    // Read the table from inside the step's own commit: the digest must already be there or in the same transaction.
    await writeBatcher(dataSource).write({ snapshots: [stepRow('a1')] });
    expect(await readActorSnapshot(dataSource, 'a1')).not.toBeNull();
    expect(await stored()).toEqual([{ scope: 'msg:usr:alice', entry: 'd2' }]);
  });

  it('still refuses a digest it stored before a restart', async () => {
    const first = new PersistedReplayWindow(dataSource);
    expect(first.remember('msg:usr:alice', 'd3', 10 * MINUTE)).toBe(true);
    await writeBatcher(dataSource).flushDeferred();
    await dataSource.destroy();
    dataSource = await open();
    const second = new PersistedReplayWindow(dataSource);
    expect(await second.load(0)).toBe(1);
    expect(second.remember('msg:usr:alice', 'd3', 10 * MINUTE)).toBe(false);
    expect(second.remember('msg:usr:alice', 'd4', 10 * MINUTE)).toBe(true);
  });

  it('asks the table for request and transaction numbers, which it never holds in memory', async () => {
    const window = new PersistedReplayWindow(dataSource);
    await expect(window.remember('num:ticket-order', '7', 30 * 24 * 60 * MINUTE)).resolves.toBe(true);
    await expect(window.remember('num:ticket-order', '7', 30 * 24 * 60 * MINUTE)).resolves.toBe(false);
    expect(window.memorySize()).toBe(0);
  });

  it('forgets expired entries in memory and in the table, and loads only unexpired digests', async () => {
    const window = new PersistedReplayWindow(dataSource);
    expect(window.remember('msg:usr:alice', 'old', 1 * MINUTE)).toBe(true);
    expect(window.remember('msg:usr:alice', 'new', 20 * MINUTE)).toBe(true);
    await window.remember('num:ticket-order', '8', 1 * MINUTE);
    await writeBatcher(dataSource).flushDeferred();
    expect(await new PersistedReplayWindow(dataSource).load(10 * MINUTE)).toBe(1);
    expect(await window.prune(10 * MINUTE)).toBe(2);
    expect(window.memorySize()).toBe(1);
    expect(await stored()).toEqual([{ scope: 'msg:usr:alice', entry: 'new' }]);
  });

  it('prunes a large table a chunk at a time, to the last expired row', async () => {
    const window = new PersistedReplayWindow(dataSource);
    const values = Array.from({ length: 2500 }, (_, index) => `('num:bulk', 'e${index}', ${index < 2300 ? 1 : 20 * MINUTE})`).join(', ');
    await dataSource.query(`INSERT INTO "replay_window" ("scope", "entry", "expiresAt") VALUES ${values}`);
    expect(await window.prune(10 * MINUTE)).toBe(2300);
    expect(await dataSource.query('SELECT COUNT(*) AS "count" FROM "replay_window"')).toEqual([{ count: 200 }]);
  });
});
