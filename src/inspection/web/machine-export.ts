import type { ChartState, ChartTransition, Statechart } from './statechart-model.js';

/** A transition in `createMachine` config form. */
export interface ExportedTransition {
  target?: string | string[];
  guard?: string;
  actions?: string | string[];
  reenter?: true;
}

type ExportedTransitions = ExportedTransition | ExportedTransition[];

/** A state node in `createMachine` config form: what Stately's editor and the XState VS Code extension open. */
export interface ExportedState {
  id?: string;
  type?: 'parallel' | 'final' | 'history';
  history?: 'shallow' | 'deep';
  description?: string;
  initial?: string;
  entry?: string | string[];
  exit?: string | string[];
  invoke?: { id: string; src: string; onDone?: ExportedTransitions; onError?: ExportedTransitions }[];
  on?: Record<string, ExportedTransitions>;
  after?: Record<string, ExportedTransitions>;
  always?: ExportedTransitions;
  onDone?: ExportedTransitions;
  states?: Record<string, ExportedState>;
}

export interface ExportedMachine extends ExportedState {
  id: string;
}

const parentIdOf = (id: string, index: ReadonlyMap<string, string | null>): string | null => index.get(id) ?? null;

/**
 * How the exported config names a target, seen from the transition's source: a sibling by its key, a descendant by a
 * relative `.path`, anything else by its `#id` (XState gives each state the ID `machine.path.to.it` unless it has its own).
 */
function targetRef(sourceId: string, targetId: string, parents: ReadonlyMap<string, string | null>, keys: ReadonlyMap<string, string>): string {
  const sourceParent = parentIdOf(sourceId, parents);
  if (sourceParent !== null && sourceParent === parentIdOf(targetId, parents)) return keys.get(targetId) ?? `#${targetId}`;
  const path: string[] = [];
  for (let cursor: string | null = targetId; cursor !== null && path.length < 64; cursor = parentIdOf(cursor, parents)) {
    if (cursor === sourceId) return path.length === 0 ? `#${targetId}` : `.${path.reverse().join('.')}`;
    path.push(keys.get(cursor) ?? cursor);
  }
  return `#${targetId}`;
}

const oneOrMany = (values: readonly string[]): string | string[] | undefined => (values.length === 0 ? undefined : values.length === 1 ? values[0] : [...values]);

interface Index {
  readonly parents: ReadonlyMap<string, string | null>;
  readonly keys: ReadonlyMap<string, string>;
}

function exportTransition(sourceId: string, transition: ChartTransition, index: Index): ExportedTransition {
  const exported: ExportedTransition = {};
  const target = oneOrMany(transition.targets.map((targetId) => targetRef(sourceId, targetId, index.parents, index.keys)));
  if (target !== undefined) exported.target = target;
  if (transition.guard !== null) exported.guard = transition.guard;
  const actions = oneOrMany(transition.actions);
  if (actions !== undefined) exported.actions = actions;
  if (transition.reenter) exported.reenter = true;
  return exported;
}

function collapse(list: ExportedTransition[]): ExportedTransitions {
  return list.length === 1 ? (list[0] as ExportedTransition) : list;
}

function grouped(sourceId: string, transitions: readonly ChartTransition[], index: Index): Map<string, ExportedTransition[]> {
  const groups = new Map<string, ExportedTransition[]>();
  for (const transition of transitions) {
    const key = `${transition.trigger}\u0000${transition.event}`;
    const list = groups.get(key) ?? [];
    list.push(exportTransition(sourceId, transition, index));
    groups.set(key, list);
  }
  return groups;
}

function exportTransitions(state: ChartState, exported: ExportedState, index: Index): void {
  const on: Record<string, ExportedTransitions> = {};
  const after: Record<string, ExportedTransitions> = {};
  for (const [key, list] of grouped(state.id, state.transitions, index)) {
    const [trigger, event] = key.split('\u0000') as [ChartTransition['trigger'], string];
    if (trigger === 'event') on[event] = collapse(list);
    else if (trigger === 'after') after[event] = collapse(list);
    else if (trigger === 'always') exported.always = collapse(list);
    else if (trigger === 'done') exported.onDone = collapse(list);
    else {
      const invocation = exported.invoke?.find((item) => item.id === event);
      if (invocation !== undefined) invocation[trigger === 'invoke.done' ? 'onDone' : 'onError'] = collapse(list);
    }
  }
  if (Object.keys(on).length > 0) exported.on = on;
  if (Object.keys(after).length > 0) exported.after = after;
}

/** `pathId` is the ID XState gives the state unless it has its own: the machine ID and the keys down to it. */
function exportState(state: ChartState, pathId: string, index: Index): ExportedState {
  const exported: ExportedState = {};
  if (state.id !== pathId) exported.id = state.id;
  if (state.type === 'parallel' || state.type === 'final' || state.type === 'history') exported.type = state.type;
  if (state.history !== null) exported.history = state.history;
  if (state.description !== null) exported.description = state.description;
  const initial = state.states.find((child) => child.id === state.initial);
  if (initial !== undefined) exported.initial = initial.key;
  const entry = oneOrMany(state.entry);
  if (entry !== undefined) exported.entry = entry;
  const exit = oneOrMany(state.exit);
  if (exit !== undefined) exported.exit = exit;
  if (state.invoke.length > 0) exported.invoke = state.invoke.map((invocation) => ({ id: invocation.id, src: invocation.src }));
  exportTransitions(state, exported, index);
  if (state.states.length > 0) exported.states = Object.fromEntries(state.states.map((child) => [child.key, exportState(child, `${pathId}.${child.key}`, index)]));
  return exported;
}

function indexOf(root: ChartState): Index {
  const parents = new Map<string, string | null>();
  const keys = new Map<string, string>();
  const visit = (state: ChartState, parent: string | null) => {
    parents.set(state.id, parent);
    keys.set(state.id, state.key);
    for (const child of state.states) visit(child, state.id);
  };
  visit(root, null);
  return { parents, keys };
}

/**
 * A machine's definition as `createMachine` config JSON (`{ id, initial, states: { s: { on: { EVENT: { target, guard,
 * actions } } } } }`): guards and actions by name, no context or implementations, so any XState tool can open it.
 */
export function exportMachineConfig(chart: Statechart): ExportedMachine {
  return { ...exportState(chart.root, chart.root.id, indexOf(chart.root)), id: chart.root.id };
}
