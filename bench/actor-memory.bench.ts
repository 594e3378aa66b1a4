import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createActor, type AnyStateMachine, type Snapshot } from 'xstate';
import type { RemoteAccessRequested } from '../src/actors/processor-events.js';
import { remoteAccessDirectorMachine, type RemoteAccessDirectorInput } from '../src/actors/remote-access-director.machine.js';
import type { Platform } from '../src/platform/platform.js';
import { measure, percentile, printTable, type BenchModule, type Measurement } from './bench-kit.js';
import { startBenchPlatform } from './bench-platform.js';

/** Actors driven into their waiting state, then evicted, then woken again. */
const ACTORS = Number(process.env['TESSERA_BENCH_ACTORS'] ?? 2_000);
/**
 * Actors taken through the same life first, so that the baseline heap already holds what the first actors cost once
 * (compiled code, type feedback, ORM metadata and statement caches), not per actor.
 */
const WARMUP_ACTORS = 200;
/** Sends in flight while creating and waking actors (SQLite serialises the writes; this only keeps the queue full). */
const BATCH = 50;
/** A holder with a processor (so the director waits for its answer) that nobody runs: the answer never comes. */
const HOLDER = 'iss:ticket:nobody';
const KIND = 'director:remote-access';

/**
 * `global.gc`, without asking for `node --expose-gc`: the flag can be set at run time, and a new context then sees the
 * function. Heap figures without a full collection first would measure garbage.
 */
function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing !== undefined) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Heap in use after full collections: the smallest of a few readings, as finalisers and timers may allocate between. */
async function settledHeap(gc: () => void): Promise<number> {
  let least = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 4; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    least = Math.min(least, process.memoryUsage().heapUsed);
  }
  return least;
}

const actorId = (index: number): string => `txn:remote-access:bench-${String(index).padStart(6, '0')}`;

function input(spId: string, index: number): RemoteAccessDirectorInput {
  const pg = actorId(index);
  const request: RemoteAccessRequested = {
    type: 'remoteAccess.requested',
    pg,
    requestId: `bench-${index}`,
    requester: 'usr:alice',
    terminalId: 'dev:mobile:alice-phone',
    dataAddress: `${HOLDER}/events/${index}/seats`,
    holder: HOLDER,
    responseType: 'remoteAccessData',
  };
  return { pg, spId, request };
}

/** An event the waiting director ignores (its guard wants remoteDataResponse): a step that only has to find the actor. */
const ignored = (index: number) => ({ type: 'external.reply', pg: actorId(index), messageType: 'benchIgnored', from: HOLDER, re: `bench-${index}`, fields: {} });

async function inBatches(count: number, op: (index: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < count; start += BATCH) {
    await Promise.all(Array.from({ length: Math.min(BATCH, count - start) }, (_, offset) => op(start + offset)));
  }
}

/** Each call awaited alone, so that its time is its own (a hydration includes reading the snapshot row). */
async function timeEach(name: string, count: number, op: (index: number) => Promise<void>): Promise<Measurement> {
  const samplesUs: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await op(i);
    samplesUs.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  const totalUs = samplesUs.reduce((sum, value) => sum + value, 0);
  return { name, ops: count, opsPerSec: count / (totalUs / 1e6), meanUs: totalUs / count, medianUs: percentile(samplesUs, 0.5), p99Us: percentile(samplesUs, 0.99) };
}

async function snapshotBytes(platform: Platform, count: number, index: (i: number) => number = (i) => i): Promise<number[]> {
  const sizes: number[] = [];
  for (let i = 0; i < count; i++) {
    const row = await platform.actors.snapshotOf(actorId(index(i)));
    if (row === null || row.status !== 'active' || row.stateValue !== 'awaitingRemoteData') throw new Error(`${actorId(index(i))} is not waiting: ${row?.status ?? 'missing'} ${row?.stateValue ?? ''}`);
    sizes.push(Buffer.byteLength(JSON.stringify(row.snapshot)));
  }
  return sizes;
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

export const actorMemoryBench: BenchModule = {
  name: 'actor-memory',
  async run() {
    const gc = exposeGc();
    // Idle eviction off for the run (the sweeper would evict on its own after 30 s); the bench evicts explicitly.
    const { platform, close } = await startBenchPlatform('benchactors', { idleEvictMs: 3_600_000 });
    try {
      // The directors' requests to the issuer processor stay in the outbox: the actor system alone is measured, not
      // the dispatcher retrying deliveries to an issuer that does not exist.
      platform.dispatcher.stop();
      platform.actors.onCommitted(() => undefined);
      const spId = platform.spId;
      const create = (i: number) => platform.actors.send(actorId(i), { type: 'process.start', pg: actorId(i) }, {}, { kind: KIND, input: input(spId, i), processGroup: actorId(i) });
      const warmup = (i: number) => ACTORS + i;
      await inBatches(WARMUP_ACTORS, (i) => create(warmup(i)));
      await inBatches(WARMUP_ACTORS, (i) => platform.actors.send(actorId(warmup(i)), ignored(warmup(i))));
      await snapshotBytes(platform, WARMUP_ACTORS, warmup);
      platform.actors.evictAll();
      await inBatches(WARMUP_ACTORS, (i) => platform.actors.send(actorId(warmup(i)), ignored(warmup(i))));
      await platform.actors.idle();
      platform.actors.evictAll();
      const baseLive = platform.actors.liveCount();
      const heapBefore = await settledHeap(gc);

      const createStarted = performance.now();
      await inBatches(ACTORS, create);
      await platform.actors.idle();
      const createMs = performance.now() - createStarted;
      const live = platform.actors.liveCount() - baseLive;
      if (live !== ACTORS) throw new Error(`expected ${ACTORS} live directors, found ${live}`);
      const heapLive = await settledHeap(gc);

      // A step to a live actor, for comparison with the same step to an evicted one (which must hydrate first).
      const liveStep = await timeEach('step, actor live (ignored event)', Math.min(ACTORS, 500), (i) => platform.actors.send(actorId(i), ignored(i)));
      const sizes = await snapshotBytes(platform, Math.min(ACTORS, 200));

      platform.actors.evictAll();
      const evicted = platform.actors.liveCount();
      const heapEvicted = await settledHeap(gc);

      const hydrateStep = await timeEach('step, actor evicted (hydrate+step)', Math.min(ACTORS, 500), (i) => platform.actors.send(actorId(i), ignored(i)));
      await inBatches(ACTORS, async (i) => {
        if (i >= 500) await platform.actors.send(actorId(i), ignored(i));
      });
      const heapWoken = await settledHeap(gc);

      // The in-memory part of a hydration alone: the machine restored from a stored snapshot and started.
      const stored = (await platform.actors.snapshotOf(actorId(0)))?.snapshot as Snapshot<unknown>;
      const restore = measure('xstate restore from snapshot + start', () => {
        const actor = createActor(remoteAccessDirectorMachine as AnyStateMachine, { snapshot: stored });
        actor.start();
        actor.stop();
      }, { maxOps: 5_000, maxMs: 500, warmupOps: 100 });

      printTable(`actor steps and hydration (${KIND} waiting in awaitingRemoteData; SQLite; µs)`, [liveStep, hydrateStep, restore]);
      const perLive = (heapLive - heapBefore) / ACTORS;
      const perEvicted = (heapEvicted - heapBefore) / ACTORS;
      const perWoken = (heapWoken - heapBefore) / ACTORS;
      const meanSnapshot = sizes.reduce((sum, size) => sum + size, 0) / sizes.length;
      console.log(`actor memory, ${ACTORS} directors (heap used after full GC; baseline ${kib(heapBefore)}; created in ${(createMs / 1000).toFixed(1)} s):`);
      console.log(`  all live        ${kib(heapLive).padStart(12)}  ${perLive.toFixed(0).padStart(7)} B per actor (${live} live)`);
      console.log(`  all evicted     ${kib(heapEvicted).padStart(12)}  ${perEvicted.toFixed(0).padStart(7)} B per actor (${evicted} live; target ≈ 0)`);
      console.log(`  woken again     ${kib(heapWoken).padStart(12)}  ${perWoken.toFixed(0).padStart(7)} B per actor (${platform.actors.liveCount() - baseLive} live)`);
      console.log(`  snapshot        ${meanSnapshot.toFixed(0)} B of JSON per actor (mean of ${sizes.length}; min ${Math.min(...sizes)}, max ${Math.max(...sizes)}), in the database, not the heap`);
      console.log(`  hydration cost  ${(hydrateStep.medianUs - liveStep.medianUs).toFixed(0)} µs per actor (median step to an evicted actor minus to a live one; of which ${restore.medianUs.toFixed(0)} µs restoring the machine)`);
    } finally {
      await close();
    }
  },
};
