// Proves the simulator's tamper options parse as documented (and refuse what they cannot mean), and edit a terminal's
// persisted memory the way a hacked device would, which a snapshot restored from the state file then holds.
import { describe, expect, it } from '@jest/globals';
import { mobileUserTerminalMachine } from '../machines/mobile-user-terminal.machine.js';
import { initialSnapshot, upgradeSnapshot, type Mutable, type PersistedTerminalSnapshot } from '../runtime/terminal-state-file.js';
import { applyTamper, parseTamperOptions, TamperError } from './tamper.js';
import { terminalStatus } from './terminal-status.js';

const fresh = (): Mutable<PersistedTerminalSnapshot> => {
  const snapshot = structuredClone(initialSnapshot(mobileUserTerminalMachine, { deviceId: 'dev:mobile:p1', principal: 'usr:alice' })) as Mutable<PersistedTerminalSnapshot>;
  snapshot.context.memory.serviceData = { fare: { value: 250, accessedAt: 5 } };
  return snapshot;
};

describe('tamper options', () => {
  it.each([
    [{ set: ['serviceData.fare=1'] }, { op: 'set', area: 'serviceData', key: 'fare', value: 1 }],
    [{ add: ['userArea.nick="al"'] }, { op: 'add', area: 'userArea', key: 'nick', value: 'al' }],
    [{ add: ['serviceData.a.b={"x":[1,null]}'] }, { op: 'add', area: 'serviceData', key: 'a.b', value: { x: [1, null] } }],
    [{ delete: ['serviceData.fare'] }, { op: 'delete', area: 'serviceData', key: 'fare' }],
    [{ record: ['microCheck:m-1={"amount":5}'] }, { op: 'record', record: { kind: 'microCheck', id: 'm-1', payload: { amount: 5 } } }],
  ])('parses %j', (options, edit) => {
    expect(parseTamperOptions(options)).toEqual([edit]);
  });

  it.each([
    [{ set: ['serviceData.fare=U1'] }, 'not JSON'],
    [{ set: ['temporaryArea.x=1'] }, 'not an area'],
    [{ set: ['serviceData.fare'] }, 'AREA.KEY=JSON'],
    [{ delete: ['serviceData.'] }, 'empty key'],
    [{ record: ['m-1={}'] }, 'KIND:ID'],
  ])('refuses %j', (options, message) => {
    expect(() => parseTamperOptions(options)).toThrow(message);
  });

  it('changes, adds and deletes entries and adds records, which the terminal then holds', () => {
    const snapshot = fresh();
    applyTamper(snapshot.context, parseTamperOptions({ set: ['serviceData.fare=1'], add: ['serviceData.bonus=true'], delete: [], record: ['microCheck:forged={}'] }), 99);
    const restored = upgradeSnapshot(JSON.parse(JSON.stringify(snapshot)) as PersistedTerminalSnapshot);
    expect(restored.context.memory.serviceData).toEqual({ fare: { value: 1, accessedAt: 5 }, bonus: { value: true, accessedAt: 99 } });
    expect(terminalStatus(restored)).toMatchObject({ state: 'ready', serviceData: { count: 2, keys: ['bonus', 'fare'] }, records: { count: 1, ids: ['forged'] } });
    applyTamper(snapshot.context, parseTamperOptions({ delete: ['serviceData.fare'] }), 100);
    expect(Object.keys(snapshot.context.memory.serviceData)).toEqual(['bonus']);
  });

  it.each([
    [{ set: ['serviceData.missing=1'] }, 'does not exist: use --tamper-add'],
    [{ add: ['serviceData.fare=1'] }, 'exists: use --tamper-set'],
    [{ delete: ['userArea.missing'] }, 'does not exist'],
  ])('refuses %j against the memory', (options, message) => {
    expect(() => applyTamper(fresh().context, parseTamperOptions(options), 0)).toThrow(TamperError);
    expect(() => applyTamper(fresh().context, parseTamperOptions(options), 0)).toThrow(message);
  });
});

describe('state file upgrade', () => {
  it('reads a snapshot written before data updating as a resting terminal with empty new fields', () => {
    const legacy = { status: 'active', value: 'ready', children: {}, historyValue: {}, context: { deviceId: 'dev:gate:g1', principal: 'dev:gate:g1', merchantId: 'mer:shop', memory: { basicProgram: { version: '1.0.0' }, serviceData: {}, userArea: {}, temporaryArea: {} }, status: { useDisabled: false, writingDisabled: false }, updateTimeRegister: null, batteryLevel: 100, lists: {}, pending: {}, seenMessageIds: [] } };
    const upgraded = upgradeSnapshot(legacy as unknown as PersistedTerminalSnapshot);
    expect(upgraded.value).toEqual({ operating: { remoteAccess: 'ready', dataUpdate: 'ready' } });
    expect(upgraded.context).toMatchObject({ merchantId: 'mer:shop', memory: { records: [] }, session: null, changedAccessTimes: {}, settings: { backupThreshold: 20 } });
  });
});
