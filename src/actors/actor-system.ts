import { createActor, type AnyActor, type AnyMachineSnapshot, type InspectionEvent, type Snapshot } from 'xstate';
import type { ActorEvent } from './actor-event.js';
import { LessThanOrEqual, type DataSource } from 'typeorm';
import type { Clock } from '../common/clock.js';
import { withoutUndefined } from '../common/plain.js';
import { ActorSnapshotEntity, type ActorStatus } from '../persistence/entities/actor-snapshot.entity.js';
import { OutboxEntity } from '../persistence/entities/outbox.entity.js';
import type { InspectionLog, InspectionRecord } from '../inspection/inspection-log.js';
import type { PrincipalId } from '../protocol/ids.js';
import { InvariantError } from '../protocol/errors.js';
import { isEffect, type Effect, type SendEffect } from './effects.js';
import type { Message } from '../protocol/message.js';
import type { MachineCatalog } from './machine-catalog.js';
import { encodeOutboxPayload } from './outbox-row.js';
import { readActorSnapshot, type ActorSnapshotRow } from '../persistence/rows/actor-snapshot-rows.js';
import { writeBatcher } from '../persistence/write-batch.js';
import { Mailboxes, type Letter } from './mailboxes.js';

interface LiveActor {
  readonly actor: AnyActor;
  readonly kind: string;
  readonly processGroup: string | null;
  sequence: number;
  lastSnapshotJson: string;
  lastUsedAt: number;
  readonly emitted: Effect[];
  readonly transitions: InspectionRecord[];
}

export interface SendOptions {
  /** Outbox rows this event consumes (an external reply): marked sent in the same transaction. */
  readonly ackOutbox?: readonly string[];
  /** Messages and refusals to add to the trace in the same transaction. */
  readonly trace?: readonly InspectionRecord[];
}

export interface SystemIdentity {
  readonly spId: PrincipalId;
  readonly newMessageId: () => string;
}

/** Called after a transaction commits with the outbox rows it wrote. */
export type CommitListener = (rows: readonly OutboxEntity[]) => void;

/** Called with messages to send at once, without an outbox row (SendEffect.durable === false). */
export type ImmediateListener = (messages: readonly { readonly via: string; readonly message: Message }[]) => void;

interface ActorCreation {
  readonly kind: string;
  readonly input?: unknown;
  readonly processGroup?: string;
}

interface PendingEvent {
  readonly event: ActorEvent;
  readonly options: SendOptions;
  readonly create: ActorCreation | undefined;
}

/** The most events of one actor stepped and written as one unit. */
const MAX_GROUP = 64;

/** Deadlines are data: a numeric `deadlineAt` in the actor's context. */
function deadlineOf(persisted: unknown): number | null {
  const context = (persisted as { context?: { deadlineAt?: unknown } }).context;
  return typeof context?.deadlineAt === 'number' ? context.deadlineAt : null;
}

const stateLabel = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * An event for an actor whose process has ended (a director that completed or was abandoned): it changes nothing.
 * A late message or a redelivered effect meets it; callers refuse or drop the event, they never recreate the actor.
 */
export class ActorEndedError extends Error {
  override readonly name = 'ActorEndedError';
  constructor(
    readonly actorId: string,
    readonly status: string,
  ) {
    super(`actor ${actorId} has ended (${status})`);
  }
}

/**
 * Hosts the durable XState actors of the service providing system. Each actor is hydrated from its snapshot on
 * demand, handles one event at a time, and after every step its persisted snapshot, the effects it emitted (outbox)
 * and its transitions (inspection trace) are written in one transaction; events that queued during that write are
 * stepped and written together (see `stepGroup`). Idle actors are evicted from memory.
 */
export class ActorSystem {
  private readonly live = new Map<string, LiveActor>();
  private readonly mailboxes = new Mailboxes<PendingEvent>((actorId, letters) => this.stepGroup(actorId, letters), MAX_GROUP);
  private commitListener: CommitListener = () => undefined;
  private immediateListener: ImmediateListener = () => undefined;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: MachineCatalog,
    private readonly inspection: InspectionLog,
    private readonly clock: Clock,
    private readonly identity: SystemIdentity,
    private readonly options: { readonly idleEvictMs: number },
  ) {}

  onCommitted(listener: CommitListener): void {
    this.commitListener = listener;
  }

  onImmediate(listener: ImmediateListener): void {
    this.immediateListener = listener;
  }

  startSweeping(): void {
    this.sweepTimer = setInterval(() => {
      this.evictIdle();
      void this.fireDueDeadlines().catch(() => undefined);
    }, Math.max(1000, Math.min(5000, this.options.idleEvictMs / 2)));
    this.sweepTimer.unref();
  }

  stop(): void {
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
    for (const live of this.live.values()) live.actor.stop();
    this.live.clear();
  }

  liveCount(): number {
    return this.live.size;
  }

  /**
   * Sends an event, creating the actor from `create` if it has no snapshot yet. Resolves after the step is durable.
   * Events that queue for an actor while it works are stepped together and written in one unit (see `stepGroup`).
   */
  send(actorId: string, event: ActorEvent, options: SendOptions = {}, create?: ActorCreation): Promise<void> {
    return this.mailboxes.post(actorId, { event, options, create });
  }

  /** The stored row of an actor: what its last committed step left. */
  async snapshotOf(actorId: string): Promise<ActorSnapshotEntity | null> {
    const row = await readActorSnapshot(this.dataSource, actorId);
    if (row === null) return null;
    const { snapshotJson, ...columns } = row;
    return Object.assign(new ActorSnapshotEntity(), { ...columns, snapshot: JSON.parse(snapshotJson) as unknown });
  }

  /**
   * The kind and context of an active actor, or null: from memory when it is live (no read), else from its row.
   * For routing checks; the event itself still queues behind the actor's running step.
   */
  async activeContext(actorId: string): Promise<{ readonly kind: string; readonly context: unknown } | null> {
    const live = this.live.get(actorId);
    if (live !== undefined) return { kind: live.kind, context: (live.actor.getSnapshot() as { context?: unknown }).context };
    const row = await readActorSnapshot(this.dataSource, actorId);
    if (row === null || row.status !== 'active') return null;
    return { kind: row.kind, context: (JSON.parse(row.snapshotJson) as { context?: unknown }).context };
  }

  /** Waits until every queued step has finished. */
  idle(): Promise<void> {
    return this.mailboxes.idle();
  }

  /**
   * Steps the actor through the events at the front of its mailbox and writes what they did as one unit: the last
   * snapshot, every effect and every trace row, in order. A singleton (a processor, the service manager) thus commits
   * once per group instead of once per event, and one event's wait for the database no longer serialises the next.
   * The group stops before an event that fails the machine (that event is refused; the actor rehydrates from what
   * the group committed) and after an event that ends the actor (later events meet `ActorEndedError`). If the write
   * fails, each event of the group is stepped and written again alone, so only the one that cannot be written fails.
   * Returns how many events it settled.
   */
  private async stepGroup(actorId: string, letters: readonly Letter<PendingEvent>[]): Promise<number> {
    const first = letters[0] as Letter<PendingEvent>;
    const live = await this.hydrate(actorId, first.item.create);
    if (live === undefined) throw new InvariantError(`actor ${actorId} does not exist and no kind was given to create it`);
    const applied: Letter<PendingEvent>[] = [];
    const effects: Effect[] = [];
    const trace: InspectionRecord[] = [];
    const ackOutbox: string[] = [];
    let failure: { letter: Letter<PendingEvent>; error: InvariantError } | undefined;
    let last: AnyMachineSnapshot | undefined;
    for (const letter of letters) {
      const { event, options } = letter.item;
      // Every event carries the time it is handled at, so machines compute deadlines from the injectable clock.
      live.actor.send(typeof event['at'] === 'number' ? event : { ...event, at: this.clock.now() });
      live.lastUsedAt = this.clock.now();
      const snapshot = live.actor.getSnapshot() as AnyMachineSnapshot;
      if (snapshot.status === 'error') {
        failure = { letter, error: new InvariantError(`actor ${actorId} failed: ${String(snapshot.error)}`) };
        break;
      }
      applied.push(letter);
      last = snapshot;
      effects.push(...live.emitted.splice(0));
      trace.push(...(options.trace ?? []), ...live.transitions.splice(0));
      ackOutbox.push(...(options.ackOutbox ?? []));
      if (snapshot.status !== 'active') break;
    }
    if (failure !== undefined) this.forget(actorId, live);
    if (last === undefined) {
      failure?.letter.reject(failure.error);
      return 1;
    }
    const settled = applied.length + (failure === undefined ? 0 : 1);
    try {
      await this.commitGroup(actorId, live, last, effects, trace, ackOutbox);
    } catch (error) {
      this.forget(actorId, live);
      if (applied.length === 1) {
        applied[0]?.reject(error);
        failure?.letter.reject(failure.error);
        return settled;
      }
      // One event's failure must not take its group-mates with it: step each again alone, from the stored snapshot.
      for (const letter of letters.slice(0, settled)) {
        try {
          await this.stepGroup(actorId, [letter]);
        } catch (aloneError) {
          letter.reject(aloneError);
        }
      }
      return settled;
    }
    for (const letter of applied) letter.resolve();
    failure?.letter.reject(failure.error);
    return applied.length + (failure === undefined ? 0 : 1);
  }

  /** Makes a group's work durable, then hands its messages on: immediate ones at once, outbox rows to the listener. */
  private async commitGroup(
    actorId: string,
    live: LiveActor,
    snapshot: AnyMachineSnapshot,
    effects: readonly Effect[],
    trace: readonly InspectionRecord[],
    ackOutbox: readonly string[],
  ): Promise<void> {
    // The persisted form of the group's last good snapshot, made once (the actor may have moved on to an error since).
    const persisted = this.catalog.get(live.kind).machine.getPersistedSnapshot(snapshot);
    const json = JSON.stringify(persisted);
    const changed = json !== live.lastSnapshotJson;
    const status: ActorStatus = snapshot.status === 'done' ? 'done' : snapshot.status === 'stopped' ? 'stopped' : 'active';
    const immediate = effects.filter((effect): effect is SendEffect => effect.type === 'effect.send' && effect.durable === false);
    const durable = effects.filter((effect) => !immediate.includes(effect as SendEffect));
    let rows: OutboxEntity[] = [];
    if (!changed && durable.length === 0 && ackOutbox.length === 0) {
      // Nothing to make durable: the steps only answered (or ignored) the events; their trace is written off the hot path.
      this.inspection.enqueue(trace);
    } else {
      // Trace rows enqueued before this step ride with its batch (WriteBatcher.defer), so they keep their place.
      rows = this.outboxRows(actorId, live, durable);
      const sequence = changed ? live.sequence + 1 : live.sequence;
      const traceRows = this.inspection.rows(trace);
      const now = this.clock.now();
      const { traceSeqs } = await writeBatcher(this.dataSource).write({
        snapshots: changed ? [this.snapshotRow(actorId, live, json, persisted, stateLabel(snapshot.value), status, sequence)] : [],
        outbox: rows,
        markSent: ackOutbox.map((messageId) => ({ messageId, at: now })),
        trace: traceRows,
      });
      this.inspection.announce(this.inspection.stored(traceRows, traceSeqs));
      live.sequence = sequence;
    }
    live.lastSnapshotJson = json;
    if (immediate.length > 0) this.immediateListener(immediate.map((effect) => ({ via: effect.via, message: this.completeMessage(effect, this.identity.newMessageId(), this.clock.now()) })));
    if (status !== 'active') this.forget(actorId, live);
    if (rows.length > 0) this.commitListener(rows);
  }

  /** Drops an actor from memory: the next event starts from its stored snapshot. */
  private forget(actorId: string, live: LiveActor): void {
    live.actor.stop();
    if (this.live.get(actorId) === live) this.live.delete(actorId);
  }

  private snapshotRow(actorId: string, live: LiveActor, json: string, persisted: unknown, stateValue: string, status: ActorStatus, sequence: number): ActorSnapshotRow {
    const entry = this.catalog.get(live.kind);
    return {
      actorId,
      kind: live.kind,
      machineVersion: entry.version,
      status,
      processGroup: live.processGroup,
      stateValue: stateValue.slice(0, 120),
      snapshotJson: json,
      sequence,
      updatedAt: this.clock.now(),
      deadlineAt: status === 'active' ? deadlineOf(persisted) : null,
    };
  }

  private outboxRows(actorId: string, live: LiveActor, effects: readonly Effect[]): OutboxEntity[] {
    const now = this.clock.now();
    const row = (columns: OutboxEntity): OutboxEntity => Object.assign(new OutboxEntity(), columns);
    return effects.map((effect) => {
      const messageId = this.identity.newMessageId();
      if (effect.type === 'effect.task') {
        return row({
          messageId,
          destinationKind: 'task',
          destination: effect.task,
          replyTo: effect.replyTo,
          payload: encodeOutboxPayload({ kind: 'task', effect: withoutUndefined(effect) }),
          processGroup: effect.pg,
          status: 'pending',
          createdAt: now,
          sentAt: null,
        });
      }
      if (effect.type === 'effect.actor') {
        return row({
          messageId,
          destinationKind: 'actor',
          destination: effect.actorId,
          replyTo: null,
          payload: encodeOutboxPayload({ kind: 'actor', effect: withoutUndefined(effect) }),
          processGroup: effect.event.pg ?? live.processGroup ?? actorId,
          status: 'pending',
          createdAt: now,
          sentAt: null,
        });
      }
      const message = this.completeMessage(effect, messageId, now);
      return row({
        messageId,
        destinationKind: effect.channel,
        destination: effect.via,
        replyTo: effect.replyTo ?? null,
        payload: encodeOutboxPayload({ kind: 'message', message }),
        processGroup: effect.pg,
        status: 'pending',
        createdAt: now,
        sentAt: null,
      });
    });
  }

  /** The full message an effect asks for, signed by the service provider when it is sent. */
  private completeMessage(effect: SendEffect, messageId: string, now: number): Message {
    return withoutUndefined({ v: 1 as const, type: effect.messageType, id: messageId, from: this.identity.spId, to: effect.to, issuedAt: now, pg: effect.pg, re: effect.re, fields: effect.fields });
  }

  private async hydrate(actorId: string, create?: ActorCreation): Promise<LiveActor | undefined> {
    const existing = this.live.get(actorId);
    if (existing !== undefined) return existing;
    const row = await readActorSnapshot(this.dataSource, actorId);
    if (row !== null && row.status !== 'active') throw new ActorEndedError(actorId, row.status);
    const kind = row?.kind ?? create?.kind;
    if (kind === undefined) return undefined;
    const entry = this.catalog.get(kind);
    if (row !== null && row.machineVersion !== entry.version) throw new InvariantError(`actor ${actorId} was persisted by ${kind} v${row.machineVersion}, running v${entry.version}`);
    const emitted: Effect[] = [];
    const transitions: InspectionRecord[] = [];
    const processGroup = row?.processGroup ?? create?.processGroup ?? null;
    let previousState = row?.stateValue;
    const inspect = (inspectionEvent: InspectionEvent) => {
      if (inspectionEvent.type !== '@xstate.snapshot' || inspectionEvent.actorRef !== actor) return;
      const value = stateLabel((inspectionEvent.snapshot as { value?: unknown }).value);
      const trigger = inspectionEvent.event;
      if (trigger.type.startsWith('xstate.')) {
        previousState = value;
        return;
      }
      const pg = typeof trigger['pg'] === 'string' ? trigger['pg'] : (processGroup ?? actorId);
      transitions.push({ processGroup: pg, actorId, kind: 'transition', type: trigger.type, detail: { kind, from: previousState ?? null, to: value } });
      previousState = value;
    };
    const actor: AnyActor = createActor(entry.machine, row === null ? { input: create?.input, inspect } : { snapshot: JSON.parse(row.snapshotJson) as Snapshot<unknown>, inspect });
    actor.on('*', (emittedEvent: { type: string }) => {
      if (isEffect(emittedEvent)) emitted.push(emittedEvent);
    });
    // A machine that throws ends in status 'error', which stepGroup refuses; without an error observer XState would
    // also rethrow the error from a timer, where it would take the process down.
    actor.subscribe({ error: () => undefined });
    actor.start();
    const live: LiveActor = {
      actor,
      kind,
      processGroup,
      sequence: row?.sequence ?? 0,
      lastSnapshotJson: row?.snapshotJson ?? '',
      lastUsedAt: this.clock.now(),
      emitted,
      transitions,
    };
    this.live.set(actorId, live);
    return live;
  }

  private evictIdle(): void {
    const limit = this.clock.now() - this.options.idleEvictMs;
    for (const [actorId, live] of this.live) {
      if (live.lastUsedAt < limit && !this.mailboxes.busy(actorId)) {
        live.actor.stop();
        this.live.delete(actorId);
      }
    }
  }

  /** Sends `clock.deadline` to every active actor whose deadline has passed; returns how many. */
  async fireDueDeadlines(now = this.clock.now()): Promise<number> {
    const due = await this.dataSource.getRepository(ActorSnapshotEntity).find({ select: { actorId: true }, where: { status: 'active', deadlineAt: LessThanOrEqual(now) }, take: 500 });
    await Promise.all(due.map((row) => this.send(row.actorId, { type: 'clock.deadline', at: now })));
    return due.length;
  }

  /** Drops every live actor from memory (they rehydrate from their snapshots on the next event). */
  evictAll(): void {
    for (const [actorId, live] of this.live) {
      if (!this.mailboxes.busy(actorId)) {
        live.actor.stop();
        this.live.delete(actorId);
      }
    }
  }
}
