// Proves each machine's export is `createMachine` config JSON that XState itself accepts and reads back to the same
// states and transitions (what Stately's editor and the XState VS Code extension open).
import { describe, expect, it } from '@jest/globals';
import { createMachine, setup, type AnyStateMachine, type AnyStateNode } from 'xstate';
import { remoteAccessDirectorMachine } from '../../actors/remote-access-director.machine.js';
import { gateTerminalMachine } from '../../devices/machines/gate-terminal.machine.js';
import { CORE_MACHINES } from '../../platform/core-catalog.js';
import { exportMachineConfig, type ExportedState } from './machine-export.js';
import { statechartOf, statechartOfMachine } from './statechart-model.js';

const stateIdsOf = (machine: AnyStateMachine): string[] => {
  const ids: string[] = [];
  const visit = (node: AnyStateNode) => {
    ids.push(node.id);
    for (const child of Object.values(node.states as Record<string, AnyStateNode>)) visit(child);
  };
  visit(machine.root);
  return ids;
};

const exported = (machine: AnyStateMachine) => exportMachineConfig({ kind: 'k', version: 1, side: 'sp', description: '', machineId: machine.id, root: statechartOfMachine(machine) });

const nested = setup({ guards: { far: () => true }, actions: { note: () => undefined }, delays: { soon: 10 } }).createMachine({
  id: 'nested',
  initial: 'outer',
  states: {
    outer: {
      initial: 'a',
      states: {
        a: { on: { jump: { target: '#nested.elsewhere.deep', guard: 'far' }, sideways: 'b' }, after: { soon: 'b' } },
        b: { entry: 'note', always: { target: '#nested.outer.a', guard: 'far' } },
        done: { type: 'final' },
      },
      onDone: 'elsewhere',
    },
    elsewhere: { id: 'custom', initial: 'deep', states: { deep: { on: { back: '#nested.outer' } } } },
  },
});

describe('exportMachineConfig', () => {
  it.each(CORE_MACHINES.map((entry) => [entry.kind, entry] as const))('exports %s so that createMachine accepts it with the same states and transitions', (_kind, entry) => {
    const chart = statechartOf(entry);
    const config = exportMachineConfig(chart);
    const json = JSON.parse(JSON.stringify(config)) as Parameters<typeof createMachine>[0];
    const reread = createMachine(json);
    expect(stateIdsOf(reread)).toEqual(stateIdsOf(entry.machine));
    expect(statechartOfMachine(reread)).toEqual(chart.root);
  });

  it('writes the director in the config form: guards and actions by name, siblings by key, the final state typed', () => {
    expect(exported(remoteAccessDirectorMachine)).toEqual({
      id: 'remoteAccessDirector',
      initial: 'starting',
      states: {
        starting: {
          on: {
            'process.start': [
              { target: 'awaitingRemoteData', guard: 'holderReachable', actions: 'requestRemoteData' },
              { target: 'completed', actions: ['recordNotFound', 'answerTerminal'] },
            ],
          },
        },
        awaitingRemoteData: { on: { 'external.reply': { target: 'completed', guard: 'isRemoteDataResponse', actions: ['recordRemoteData', 'answerTerminal'] } } },
        completed: { type: 'final' },
      },
    });
  });

  it('names a child from its parent with a relative target and keeps eventless checks in order', () => {
    const config = exported(gateTerminalMachine);
    expect(config.on?.['terminal.useDisabled']).toEqual({ target: '.useDisabled', actions: 'disableUse' });
    expect(config.on?.['battery.measured']).toEqual({ actions: 'recordBattery' });
    const settlingOf = (state: ExportedState | undefined): ExportedState | undefined =>
      state?.states?.['settling'] ?? Object.values(state?.states ?? {}).map(settlingOf).find((found) => found !== undefined);
    expect(settlingOf(config)?.always).toEqual([{ target: 'ready', guard: 'nothingPending' }, { target: 'awaitingRemoteData' }]);
  });

  it('round-trips cross-level targets, custom state IDs, delays, entry actions and onDone', () => {
    const config = exported(nested);
    expect(config.states?.['outer']?.states?.['a']?.on?.['jump']).toEqual({ target: '#nested.elsewhere.deep', guard: 'far' });
    expect(config.states?.['elsewhere']?.id).toBe('custom');
    expect(config.states?.['outer']?.states?.['a']?.after).toEqual({ soon: { target: 'b' } });
    const reread = createMachine(JSON.parse(JSON.stringify(config)) as Parameters<typeof createMachine>[0]);
    expect(stateIdsOf(reread)).toEqual(stateIdsOf(nested));
    expect(statechartOfMachine(reread)).toEqual(statechartOfMachine(nested));
  });
});
