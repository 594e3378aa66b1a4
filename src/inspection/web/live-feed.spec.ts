// Proves the live feed fans trace records out in order to the clients whose filter matches, follows each transition
// with its actor's row, and listens to the trace only while someone is subscribed.
import { describe, expect, it } from '@jest/globals';
import type { InspectionLog, StoredInspectionRecord } from '../inspection-log.js';
import type { ActorDirectory, ActorSummary } from './actor-directory.js';
import { LiveFeed, type FeedEvent } from './live-feed.js';

class FakeLog {
  readonly listeners = new Set<(record: StoredInspectionRecord) => void>();
  onRecorded(listener: (record: StoredInspectionRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(record: StoredInspectionRecord): void {
    for (const listener of this.listeners) listener(record);
  }
}

const actor = (actorId: string, stateValue: string): ActorSummary => ({ actorId, kind: 'director:remote-access', status: 'active', processGroup: actorId, stateValue, activeStates: [], sequence: 1, updatedAt: 1 });
const directory = { get: async (actorId: string) => (actorId.startsWith('txn:') ? actor(actorId, 'completed') : undefined) };
let seq = 0;
const record = (processGroup: string, actorId: string, kind: StoredInspectionRecord['kind'] = 'transition'): StoredInspectionRecord => ({ seq: ++seq, at: seq, processGroup, actorId, kind, type: 't', detail: {} });
const describeEvent = (event: FeedEvent) => (event.type === 'record' ? `record ${event.record.seq}` : `actor ${event.actor.actorId} ${event.actor.stateValue}`);

function setup() {
  const log = new FakeLog();
  const sut = new LiveFeed(log as unknown as InspectionLog, directory as unknown as ActorDirectory);
  const heard = (filter: { processGroup?: string; actorId?: string }) => {
    const events: string[] = [];
    const unsubscribe = sut.subscribe({ filter, send: (event) => events.push(describeEvent(event)) });
    return { events, unsubscribe };
  };
  return { log, sut, heard };
}

describe('LiveFeed', () => {
  it('sends every record in order, each transition followed by its actor, to a client that asked for everything', async () => {
    const { log, sut, heard } = setup();
    const all = heard({});
    const first = record('txn:a:1', 'txn:a:1');
    const second = record('txn:a:1', 'outbox:dev:mobile:m', 'message-out');
    log.emit(first);
    log.emit(second);
    await sut.settled();
    expect(all.events).toEqual([`record ${first.seq}`, 'actor txn:a:1 completed', `record ${second.seq}`]);
  });

  it('sends a client only its process group or its actor', async () => {
    const { log, sut, heard } = setup();
    const byGroup = heard({ processGroup: 'txn:a:2' });
    const byActor = heard({ actorId: 'processor:user' });
    const mine = record('txn:a:2', 'txn:a:2');
    const user = record('txn:b:3', 'processor:user');
    log.emit(mine);
    log.emit(user);
    await sut.settled();
    expect(byGroup.events).toEqual([`record ${mine.seq}`, 'actor txn:a:2 completed']);
    expect(byActor.events).toEqual([`record ${user.seq}`]);
  });

  it('stops listening to the trace when the last client leaves, and a broken client does not stop the others', async () => {
    const { log, sut, heard } = setup();
    const broken = sut.subscribe({ filter: {}, send: () => { throw new Error('socket gone'); } });
    const healthy = heard({});
    expect(log.listeners.size).toBe(1);
    log.emit(record('txn:a:4', 'outbox:x', 'message-out'));
    await sut.settled();
    expect(healthy.events).toHaveLength(1);
    broken();
    healthy.unsubscribe();
    expect(sut.size).toBe(0);
    expect(log.listeners.size).toBe(0);
  });
});
