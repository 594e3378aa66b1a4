import type { InspectionLog, StoredInspectionRecord } from '../inspection-log.js';
import type { ActorDirectory, ActorSummary } from './actor-directory.js';

export type FeedEvent = { readonly type: 'record'; readonly record: StoredInspectionRecord } | { readonly type: 'actor'; readonly actor: ActorSummary };

/** What one client asked to hear: one process group, one actor, or (both absent) everything. */
export interface FeedFilter {
  readonly processGroup?: string;
  readonly actorId?: string;
}

export interface FeedSubscriber {
  readonly filter: FeedFilter;
  send(event: FeedEvent): void;
}

/** Actor look-ups waiting behind the trace: past this, state updates are skipped (records still flow) until it drains. */
const MAX_PENDING_LOOKUPS = 1000;

const matches = (filter: FeedFilter, processGroup: string | null, actorId: string): boolean =>
  (filter.processGroup === undefined || filter.processGroup === processGroup) && (filter.actorId === undefined || filter.actorId === actorId);

/**
 * Fans the inspection trace out to live clients, in trace order. A transition is followed by its actor's stored row
 * (state, status), read after the step committed. Listens to the trace only while someone is subscribed.
 */
export class LiveFeed {
  private readonly subscribers = new Set<FeedSubscriber>();
  private unsubscribe: (() => void) | undefined;
  private chain: Promise<void> = Promise.resolve();
  private pendingLookups = 0;

  constructor(
    private readonly inspection: InspectionLog,
    private readonly actors: ActorDirectory,
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  subscribe(subscriber: FeedSubscriber): () => void {
    this.subscribers.add(subscriber);
    this.unsubscribe ??= this.inspection.onRecorded((record) => this.receive(record));
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0 && this.unsubscribe !== undefined) {
        this.unsubscribe();
        this.unsubscribe = undefined;
      }
    };
  }

  close(): void {
    this.subscribers.clear();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Resolves once every received record has been fanned out (tests and benches). */
  settled(): Promise<void> {
    return this.chain;
  }

  private receive(record: StoredInspectionRecord): void {
    const wantsActor = record.kind === 'transition' && this.pendingLookups < MAX_PENDING_LOOKUPS;
    if (wantsActor) this.pendingLookups += 1;
    this.chain = this.chain.then(async () => {
      this.fanOut({ type: 'record', record }, record.processGroup, record.actorId);
      if (!wantsActor) return;
      try {
        const actor = await this.actors.get(record.actorId);
        if (actor !== undefined) this.fanOut({ type: 'actor', actor }, record.processGroup, actor.actorId);
      } catch {
        // A failed read (database closing) loses one live update; the list is re-read on the next page load.
      } finally {
        this.pendingLookups -= 1;
      }
    });
  }

  private fanOut(event: FeedEvent, processGroup: string | null, actorId: string): void {
    for (const subscriber of this.subscribers) {
      if (!matches(subscriber.filter, processGroup, actorId)) continue;
      try {
        subscriber.send(event);
      } catch {
        // One broken client must not stop the others; its connection's close handler unsubscribes it.
      }
    }
  }
}
