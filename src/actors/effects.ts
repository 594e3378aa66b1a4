import type { PrincipalId } from '../protocol/ids.js';

/**
 * What a machine asks the platform to do. Machines `emit` these; the actor system writes them to the outbox in the
 * same transaction as the actor's snapshot and carries them out after commit, so a crash never loses or doubles one.
 */
export type Effect = SendEffect | ActorEffect | TaskEffect;

/** Send a message signed by the service provider. The runtime fills in ID, sender and issued time. */
export interface SendEffect {
  readonly type: 'effect.send';
  /** 'device': published to a device over MQTT; 'external': exchanged with an external party, reply to `replyTo`. */
  readonly channel: 'device' | 'external';
  /** The device to publish to, or the external party to call. */
  readonly via: string;
  readonly to: PrincipalId;
  readonly messageType: string;
  readonly fields: unknown;
  readonly pg: string;
  readonly re?: string;
  readonly replyTo?: string;
  /**
   * false for a read-only answer the terminal simply asks again for if it is lost (remote access to data the SP
   * holds): it is sent at once, without an outbox row. Everything that changes state is durable (the default).
   */
  readonly durable?: boolean;
}

/** Deliver an event to another actor, creating it from `kind` and `input` if it does not exist yet. */
export interface ActorEffect {
  readonly type: 'effect.actor';
  readonly actorId: string;
  readonly kind: string;
  readonly input?: unknown;
  readonly event: { readonly type: string; readonly pg?: string } & Record<string, unknown>;
}

/**
 * Run a named task of the platform (work that needs the database or other I/O, such as comparing an upload with the
 * SP's mirror). Its result comes back to `replyTo` as a `task.completed` event. Tasks are keyed by `key` and store
 * their result, so a task run again after a crash answers the same.
 */
export interface TaskEffect {
  readonly type: 'effect.task';
  readonly task: string;
  readonly key: string;
  readonly input: unknown;
  readonly pg: string;
  readonly replyTo: string;
}

export interface TaskCompletedEvent {
  readonly type: 'task.completed';
  readonly pg: string;
  readonly task: string;
  readonly result: unknown;
}

export function isEffect(event: { type: string }): event is Effect {
  return event.type === 'effect.send' || event.type === 'effect.actor' || event.type === 'effect.task';
}

/** The event an actor receives when an external party answers one of its exchanges. */
export interface ExternalReplyEvent {
  readonly type: 'external.reply';
  readonly pg: string;
  readonly messageType: string;
  readonly from: string;
  readonly re: string;
  readonly fields: unknown;
}
