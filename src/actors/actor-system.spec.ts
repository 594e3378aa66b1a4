import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { assign, emit, setup } from 'xstate';
import { ManualClock } from '../common/clock.js';
import { InspectionLog } from '../inspection/inspection-log.js';
import { openDataSource } from '../persistence/data-source.js';
import { CORE_ENTITIES } from '../persistence/entities/index.js';
import { CORE_MIGRATIONS } from '../persistence/migrations/index.js';
import { readActorSnapshot } from '../persistence/rows/actor-snapshot-rows.js';
import { InvariantError } from '../protocol/errors.js';
import { ActorEndedError, ActorSystem } from './actor-system.js';
import type { Effect } from './effects.js';
import { MachineCatalog } from './machine-catalog.js';

/**
 * Counts `inc` events, asking for a task per event (an outbox row each); `explode` fails the machine; `finish` ends it;
 * `poison` asks for a task whose input no outbox row can hold (a function), so its step can never be written.
 */
const counterMachine = setup({
  types: { context: {} as { count: number }, events: {} as { type: 'inc' } | { type: 'explode' } | { type: 'finish' } | { type: 'poison' }, emitted: {} as Effect },
  actions: {
    explode: () => {
      throw new Error('exploded');
    },
  },
}).createMachine({
  id: 'counter',
  context: { count: 0 },
  initial: 'counting',
  states: {
    counting: {
      on: {
        inc: {
          actions: [
            assign({ count: ({ context }) => context.count + 1 }),
            emit(({ context }) => ({ type: 'effect.task' as const, task: 'note', key: `note:${context.count}`, input: { count: context.count }, pg: 'pg', replyTo: 'c' })),
          ],
        },
        explode: { actions: 'explode' },
        poison: {
          actions: [
            assign({ count: ({ context }) => context.count + 100 }),
            emit(() => ({ type: 'effect.task' as const, task: 'note', key: 'poison', input: { unencodable: () => undefined }, pg: 'pg', replyTo: 'c' })),
          ],
        },
        finish: { target: 'finished' },
      },
    },
    finished: { type: 'final' },
  },
});

describe('ActorSystem (SQLite): events that queue for one actor are stepped and written as one unit', () => {
  let folder: string;
  let dataSource: DataSource;
  let actors: ActorSystem;
  let nextIds: string[];
  let issued: number;

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'tessera-actor-system-'));
    dataSource = await openDataSource({ url: null, sqlitePath: join(folder, 'db.sqlite') }, CORE_ENTITIES, CORE_MIGRATIONS);
    const clock = new ManualClock();
    const catalog = new MachineCatalog().register({ kind: 'counter', version: 1, machine: counterMachine, side: 'sp', description: 'test counter' });
    nextIds = [];
    issued = 0;
    const newMessageId = (): string => nextIds.shift() ?? `m${(issued += 1)}`;
    actors = new ActorSystem(dataSource, catalog, new InspectionLog(dataSource, clock), clock, { spId: 'sp:tessera' as never, newMessageId }, { idleEvictMs: 60_000 });
  });

  afterEach(async () => {
    actors.stop();
    await dataSource.destroy();
    rmSync(folder, { recursive: true, force: true });
  });

  const send = (type: string) => actors.send('c', { type }, {}, { kind: 'counter' });
  const stored = async () => {
    const row = await readActorSnapshot(dataSource, 'c');
    return { status: row?.status, sequence: row?.sequence, count: (JSON.parse(row?.snapshotJson ?? '{}') as { context?: { count?: number } }).context?.count };
  };
  const outboxKeys = async (): Promise<string[]> =>
    ((await dataSource.query('SELECT "payload" FROM "outbox" ORDER BY "createdAt", "messageId"')) as { payload: string }[]).map((row) => row.payload);

  it('commits five events sent together once: one snapshot write, five outbox rows', async () => {
    await Promise.all(['inc', 'inc', 'inc', 'inc', 'inc'].map(send));
    expect(await stored()).toEqual({ status: 'active', sequence: 1, count: 5 });
    expect(await outboxKeys()).toHaveLength(5);
    await send('inc');
    expect(await stored()).toEqual({ status: 'active', sequence: 2, count: 6 });
  });

  it('refuses an event that fails the machine, keeps the events before it, and steps the ones after it from the stored snapshot', async () => {
    const results = await Promise.allSettled(['inc', 'explode', 'inc'].map(send));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(InvariantError);
    expect(await stored()).toEqual({ status: 'active', sequence: 2, count: 2 });
    expect(await outboxKeys()).toHaveLength(2);
  });

  it('refuses events queued behind the one that ended the actor', async () => {
    const results = await Promise.allSettled(['inc', 'finish', 'inc'].map(send));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(ActorEndedError);
    expect(await stored()).toEqual({ status: 'done', sequence: 1, count: 1 });
  });

  it('steps each event of a group whose write failed again alone: only the one that cannot be written fails', async () => {
    const results = await Promise.allSettled(['inc', 'poison', 'inc'].map(send));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await stored()).toEqual({ status: 'active', sequence: 2, count: 2 });
    expect(await outboxKeys()).toHaveLength(2);
  });

  it('writes the events of a group again alone after a write that failed once (a message ID taken)', async () => {
    await send('inc');
    nextIds = ['m1'];
    const results = await Promise.allSettled(['inc', 'inc'].map(send));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(await stored()).toEqual({ status: 'active', sequence: 3, count: 3 });
    expect(await outboxKeys()).toHaveLength(3);
  });

  it('fails an event alone whose write fails, and the next event starts from what was committed', async () => {
    await send('inc');
    await expect(send('poison')).rejects.toThrow();
    expect(await stored()).toEqual({ status: 'active', sequence: 1, count: 1 });
    await send('inc');
    expect(await stored()).toEqual({ status: 'active', sequence: 2, count: 2 });
  });
});
