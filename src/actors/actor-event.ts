/**
 * An event as it crosses into the actor system (from a route, the outbox, a task or a schedule): a type and plain
 * fields. The machine that receives it narrows it with its own event union; nothing here is typed `any`.
 */
export interface ActorEvent {
  readonly type: string;
  readonly [field: string]: unknown;
}
