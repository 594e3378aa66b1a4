import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';
import type { MachineEntry } from '../../actors/machine-catalog.js';

export type ChartStateType = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

/** What makes a transition fire: a named event, an eventless (`always`) check, a delay, or a state or invocation being done. */
export type ChartTrigger = 'event' | 'always' | 'after' | 'done' | 'invoke.done' | 'invoke.error';

export interface ChartTransition {
  readonly trigger: ChartTrigger;
  /** The event descriptor for `event`; the delay for `after`; the invocation ID for `invoke.*`; '' otherwise. */
  readonly event: string;
  /** Target state IDs; empty for a targetless transition (actions only, the state does not change). */
  readonly targets: readonly string[];
  readonly guard: string | null;
  readonly actions: readonly string[];
  readonly reenter: boolean;
}

export interface ChartInvocation {
  readonly id: string;
  readonly src: string;
}

/** One state node, serialisable: what the inspector draws and what the Stately export is made from. */
export interface ChartState {
  readonly id: string;
  readonly key: string;
  readonly type: ChartStateType;
  readonly description: string | null;
  /** The initial child's ID (compound states). */
  readonly initial: string | null;
  readonly history: 'shallow' | 'deep' | null;
  readonly entry: readonly string[];
  readonly exit: readonly string[];
  readonly invoke: readonly ChartInvocation[];
  /** Transitions in document order, as XState tries them (the first whose guard passes wins). */
  readonly transitions: readonly ChartTransition[];
  readonly states: readonly ChartState[];
}

/** A machine of the catalog as a statechart: derived from the machine object, so it cannot drift from the code. */
export interface Statechart {
  readonly kind: string;
  readonly version: number;
  readonly side: 'sp' | 'device';
  readonly description: string;
  readonly machineId: string;
  readonly root: ChartState;
}

const AFTER_PREFIX = 'xstate.after.';
const DONE_STATE_PREFIX = 'xstate.done.state.';
const DONE_ACTOR_PREFIX = 'xstate.done.actor.';
const ERROR_ACTOR_PREFIX = 'xstate.error.actor.';

type Described = { readonly type?: unknown; readonly name?: unknown; readonly guards?: unknown; readonly stateValue?: unknown; readonly id?: unknown; readonly sendId?: unknown };

/** XState schedules and cancels each `after` delay with entry and exit actions of its own: the chart shows the delay instead. */
function isDelaySchedule(action: unknown): boolean {
  if (typeof action !== 'function') return false;
  const described = action as Described;
  const scheduled = described.type === 'xstate.raise' ? described.id : described.type === 'xstate.cancel' ? described.sendId : undefined;
  return typeof scheduled === 'string' && scheduled.startsWith(AFTER_PREFIX);
}

const ownActions = (actions: readonly unknown[]): string[] => actions.filter((action) => !isDelaySchedule(action)).map(describeAction);

/** A guard's readable name: a named guard, its parameterised form, or the combinators `!a`, `a && b`, `a || b`. */
export function describeGuard(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function' || typeof guard === 'object') {
    const described = guard as Described;
    const inner = Array.isArray(described.guards) ? described.guards.map((item: unknown) => describeGuard(item) ?? 'inline') : undefined;
    if (typeof guard === 'function' && inner !== undefined) {
      if (described.name === 'not') return `!${inner[0] ?? 'inline'}`;
      if (described.name === 'and') return inner.map((part) => (inner.length > 1 ? `(${part})` : part)).join(' && ');
      if (described.name === 'or') return inner.map((part) => (inner.length > 1 ? `(${part})` : part)).join(' || ');
    }
    if (described.stateValue !== undefined) return `in(${JSON.stringify(described.stateValue)})`;
    if (typeof described.type === 'string') return described.type;
    if (typeof described.name === 'string' && described.name !== '' && described.name !== 'guard') return described.name;
  }
  return 'inline';
}

/** An action's readable name: named actions as themselves, built-in action creators by their type (`xstate.assign`). */
export function describeAction(action: unknown): string {
  if (typeof action === 'string') return action;
  if (typeof action === 'function' || (typeof action === 'object' && action !== null)) {
    const described = action as Described;
    if (typeof described.type === 'string') return described.type;
    if (typeof described.name === 'string' && described.name !== '') return described.name;
  }
  return 'inline';
}

function chartTransition(trigger: ChartTrigger, event: string, transition: AnyTransitionDefinition): ChartTransition {
  return {
    trigger,
    event,
    targets: (transition.target ?? []).map((target: AnyStateNode) => target.id),
    guard: describeGuard(transition.guard),
    actions: transition.actions.map(describeAction),
    reenter: transition.reenter,
  };
}

/** Sorts XState's internal event names back into the trigger the machine's author wrote (on, after, onDone, invoke). */
function triggerOf(node: AnyStateNode, eventType: string): { trigger: ChartTrigger; event: string } {
  if (eventType.startsWith(DONE_STATE_PREFIX) && eventType.slice(DONE_STATE_PREFIX.length) === node.id) return { trigger: 'done', event: '' };
  if (eventType.startsWith(DONE_ACTOR_PREFIX)) return { trigger: 'invoke.done', event: eventType.slice(DONE_ACTOR_PREFIX.length) };
  if (eventType.startsWith(ERROR_ACTOR_PREFIX)) return { trigger: 'invoke.error', event: eventType.slice(ERROR_ACTOR_PREFIX.length) };
  return { trigger: 'event', event: eventType };
}

function transitionsOf(node: AnyStateNode): ChartTransition[] {
  const result: ChartTransition[] = [];
  for (const [eventType, transitions] of node.transitions) {
    if (eventType.startsWith(AFTER_PREFIX)) continue;
    const { trigger, event } = triggerOf(node, eventType);
    for (const transition of transitions) result.push(chartTransition(trigger, event, transition));
  }
  for (const delayed of node.after) {
    const delay = typeof delayed.delay === 'function' ? 'expr' : String(delayed.delay);
    result.push(chartTransition('after', delay, delayed));
  }
  for (const transition of node.always ?? []) result.push(chartTransition('always', '', transition));
  return result;
}

function chartState(node: AnyStateNode): ChartState {
  const history = node.type === 'history' ? (node.history === 'deep' ? 'deep' : 'shallow') : null;
  const initialTarget = node.type === 'compound' ? node.initial?.target[0] : undefined;
  return {
    id: node.id,
    key: node.key,
    type: node.type,
    description: node.description ?? null,
    initial: initialTarget?.id ?? null,
    history,
    entry: ownActions(node.entry),
    exit: ownActions(node.exit),
    invoke: node.invoke.map((invocation: { id: string; src: unknown }) => ({ id: invocation.id, src: typeof invocation.src === 'string' ? invocation.src : 'inline' })),
    transitions: transitionsOf(node),
    states: Object.values(node.states as Record<string, AnyStateNode>).map(chartState),
  };
}

/** The statechart of one machine object. */
export function statechartOfMachine(machine: AnyStateMachine): ChartState {
  return chartState(machine.root);
}

/** The statechart of one catalog entry, with the entry's kind, version, side and description. */
export function statechartOf(entry: MachineEntry): Statechart {
  return { kind: entry.kind, version: entry.version, side: entry.side, description: entry.description, machineId: entry.machine.id, root: statechartOfMachine(entry.machine) };
}

/** Every state of a chart, depth first, the root included. */
export function allStates(root: ChartState): ChartState[] {
  const result: ChartState[] = [];
  const visit = (state: ChartState) => {
    result.push(state);
    for (const child of state.states) visit(child);
  };
  visit(root);
  return result;
}

/**
 * The IDs of the states a state value makes active, root included: `'completed'` → root and `root.completed`;
 * `{ a: 'b' }` → root, `a`, `a.b`; parallel regions each contribute theirs. Unknown keys are skipped.
 */
export function activeStateIds(root: ChartState, value: unknown): string[] {
  const result: string[] = [root.id];
  const visit = (parent: ChartState, part: unknown, depth: number) => {
    if (depth > 32) return;
    if (typeof part === 'string') {
      const child = parent.states.find((state) => state.key === part);
      if (child !== undefined) result.push(child.id);
      return;
    }
    if (typeof part !== 'object' || part === null) return;
    for (const [key, nested] of Object.entries(part)) {
      const child = parent.states.find((state) => state.key === key);
      if (child === undefined) continue;
      result.push(child.id);
      visit(child, nested, depth + 1);
    }
  };
  visit(root, value, 0);
  return result;
}

/** The state value an actor row stores (a plain string, or JSON for nested values), as a value. */
export function parseStateLabel(label: string | null | undefined): unknown {
  if (label === null || label === undefined || label === '') return undefined;
  if (!label.startsWith('{')) return label;
  try {
    return JSON.parse(label) as unknown;
  } catch {
    return undefined;
  }
}
