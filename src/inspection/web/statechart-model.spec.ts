// Proves the inspector's statechart model is read from the machine objects: every core machine's states, nested states,
// transitions (event, target, guard, actions, eventless, delayed, done) and the active states of a state value.
import { describe, expect, it } from '@jest/globals';
import { and, assign, not, setup, type AnyStateMachine, type AnyStateNode } from 'xstate';
import { remoteAccessDirectorMachine } from '../../actors/remote-access-director.machine.js';
import { userProcessorMachine } from '../../actors/user-processor.machine.js';
import { gateTerminalMachine } from '../../devices/machines/gate-terminal.machine.js';
import { CORE_MACHINES } from '../../platform/core-catalog.js';
import { activeStateIds, allStates, describeGuard, parseStateLabel, statechartOf, statechartOfMachine, type ChartState } from './statechart-model.js';

const stateIdsOf = (machine: AnyStateMachine): string[] => {
  const ids: string[] = [];
  const visit = (node: AnyStateNode) => {
    ids.push(node.id);
    for (const child of Object.values(node.states as Record<string, AnyStateNode>)) visit(child);
  };
  visit(machine.root);
  return ids;
};

const transitionCountOf = (machine: AnyStateMachine): number => {
  let count = 0;
  const visit = (node: AnyStateNode) => {
    for (const list of node.transitions.values()) count += list.length;
    count += node.always?.length ?? 0;
    for (const child of Object.values(node.states as Record<string, AnyStateNode>)) visit(child);
  };
  visit(machine.root);
  return count;
};

const find = (root: ChartState, id: string): ChartState => {
  const state = allStates(root).find((candidate) => candidate.id === id);
  if (state === undefined) throw new Error(`no state ${id}`);
  return state;
};

/** A machine with what the core machines do not use yet: nesting, parallel regions, history, delays, combinators, done. */
const richMachine = setup({
  types: { events: {} as { type: 'go' } | { type: 'stop' } },
  guards: { ready: () => true, allowed: () => true },
  actions: { log: () => undefined, tidy: () => undefined },
  delays: { patience: 500 },
}).createMachine({
  id: 'rich',
  initial: 'working',
  states: {
    working: {
      initial: 'loading',
      entry: 'log',
      exit: ['tidy'],
      onDone: { target: 'finished' },
      states: {
        loading: { after: { 1000: { target: 'stalled' }, patience: { target: 'stalled', guard: 'ready' } }, on: { go: { target: 'ready', guard: and(['ready', not('allowed')]) } } },
        stalled: { on: { go: { target: '#rich.working.loading', reenter: true, actions: assign({}) } } },
        ready: { type: 'final' },
        back: { type: 'history', history: 'deep' },
      },
    },
    finished: {
      type: 'parallel',
      states: { left: { initial: 'on', states: { on: {} } }, right: { initial: 'off', states: { off: {} } } },
    },
  },
  on: { stop: { target: '.finished' } },
});

describe('statechartOf', () => {
  it.each(CORE_MACHINES.map((entry) => [entry.kind, entry] as const))('draws %s from its machine object: every state and transition', (_kind, entry) => {
    const chart = statechartOf(entry);
    expect(chart).toMatchObject({ kind: entry.kind, version: entry.version, side: entry.side, machineId: entry.machine.id });
    expect(allStates(chart.root).map((state) => state.id)).toEqual(stateIdsOf(entry.machine));
    expect(allStates(chart.root).reduce((sum, state) => sum + state.transitions.length, 0)).toBe(transitionCountOf(entry.machine));
    expect(JSON.parse(JSON.stringify(chart))).toEqual(chart);
  });

  it('reads the director: guarded alternatives in order, targets, named actions, the final state', () => {
    const root = statechartOfMachine(remoteAccessDirectorMachine);
    expect(root).toMatchObject({ id: 'remoteAccessDirector', type: 'compound', initial: 'remoteAccessDirector.starting' });
    expect(find(root, 'remoteAccessDirector.starting').transitions).toEqual([
      { trigger: 'event', event: 'process.start', targets: ['remoteAccessDirector.awaitingRemoteData'], guard: 'holderReachable', actions: ['requestRemoteData'], reenter: false },
      { trigger: 'event', event: 'process.start', targets: ['remoteAccessDirector.completed'], guard: null, actions: ['recordNotFound', 'answerTerminal'], reenter: false },
    ]);
    expect(find(root, 'remoteAccessDirector.completed').type).toBe('final');
  });

  it('reads a terminal: transitions on the machine itself, targetless ones, and eventless (always) checks', () => {
    const root = statechartOfMachine(gateTerminalMachine);
    expect(root.transitions).toContainEqual({ trigger: 'event', event: 'battery.measured', targets: [], guard: null, actions: ['recordBattery'], reenter: false });
    expect(root.transitions).toContainEqual({ trigger: 'event', event: 'terminal.useDisabled', targets: ['gateTerminal.useDisabled'], guard: null, actions: ['disableUse'], reenter: false });
    const settling = allStates(root).find((state) => state.key === 'settling');
    expect(settling?.transitions).toEqual([
      { trigger: 'always', event: '', targets: [expect.stringMatching(/\.ready$/)], guard: 'nothingPending', actions: [], reenter: false },
      { trigger: 'always', event: '', targets: [expect.stringMatching(/\.awaitingRemoteData$/)], guard: null, actions: [], reenter: false },
    ]);
    expect(statechartOfMachine(userProcessorMachine).states[0]?.transitions.map((t) => [t.guard, t.targets, t.actions])).toEqual(
      expect.arrayContaining([
        ['dataHeldLocally', [], ['sendRemoteAccessData']],
        [null, [], ['openRemoteAccessProcess']],
      ]),
    );
  });

  it('reads nesting, parallel regions, history, delays, guard combinators, entry, exit and onDone', () => {
    const root = statechartOfMachine(richMachine);
    const working = find(root, 'rich.working');
    expect(working).toMatchObject({ type: 'compound', initial: 'rich.working.loading', entry: ['log'], exit: ['tidy'] });
    expect(working.transitions).toEqual([{ trigger: 'done', event: '', targets: ['rich.finished'], guard: null, actions: [], reenter: false }]);
    expect(find(root, 'rich.working.loading').transitions.map((t) => [t.trigger, t.event, t.guard, t.targets])).toEqual([
      ['event', 'go', '(ready) && (!allowed)', ['rich.working.ready']],
      ['after', '1000', null, ['rich.working.stalled']],
      ['after', 'patience', 'ready', ['rich.working.stalled']],
    ]);
    expect(find(root, 'rich.working.stalled').transitions[0]).toMatchObject({ reenter: true, actions: ['xstate.assign'] });
    expect(find(root, 'rich.working.back')).toMatchObject({ type: 'history', history: 'deep' });
    expect(find(root, 'rich.finished')).toMatchObject({ type: 'parallel', initial: null });
    expect(root.transitions).toEqual([{ trigger: 'event', event: 'stop', targets: ['rich.finished'], guard: null, actions: [], reenter: false }]);
  });
});

describe('activeStateIds', () => {
  const root = statechartOfMachine(richMachine);

  it('resolves plain, nested and parallel state values to state IDs, root first', () => {
    expect(activeStateIds(root, 'finished')).toEqual(['rich', 'rich.finished']);
    expect(activeStateIds(root, { working: 'stalled' })).toEqual(['rich', 'rich.working', 'rich.working.stalled']);
    expect(activeStateIds(root, { finished: { left: 'on', right: 'off' } })).toEqual(['rich', 'rich.finished', 'rich.finished.left', 'rich.finished.left.on', 'rich.finished.right', 'rich.finished.right.off']);
  });

  it('skips keys the chart does not have', () => {
    expect(activeStateIds(root, { gone: 'x' })).toEqual(['rich']);
    expect(activeStateIds(root, 42)).toEqual(['rich']);
  });

  it('reads the labels actor rows store: plain strings, or JSON for nested values', () => {
    expect(parseStateLabel('completed')).toBe('completed');
    expect(parseStateLabel('{"working":"loading"}')).toEqual({ working: 'loading' });
    expect(parseStateLabel('{"working":')).toBeUndefined();
    expect(parseStateLabel(null)).toBeUndefined();
  });
});

describe('describeGuard', () => {
  it('names named, parameterised, combined and inline guards', () => {
    expect(describeGuard('isOpen')).toBe('isOpen');
    expect(describeGuard({ type: 'isAbove', params: { level: 3 } })).toBe('isAbove');
    expect(describeGuard(not('isOpen'))).toBe('!isOpen');
    expect(describeGuard(() => true)).toBe('inline');
    expect(describeGuard(undefined)).toBeNull();
  });
});
