// Proves every terminal kind runs remote access from its own memory areas, applies an answer once, survives a
// snapshot round trip mid-request, and refuses everything once use is disabled.
import { describe, expect, it } from '@jest/globals';
import { createActor, type AnyStateMachine, type Snapshot } from 'xstate';
import { accountingMachineMachine } from './accounting-machine.machine.js';
import { gateTerminalMachine } from './gate-terminal.machine.js';
import { merchantTerminalMachine } from './merchant-terminal.machine.js';
import { mobileUserTerminalMachine } from './mobile-user-terminal.machine.js';
import { phoneCardAccountingMachineMachine } from './phone-card-accounting-machine.machine.js';
import type { TerminalContext, UplinkEffect } from './terminal-events.js';
import { terminalStateName } from './terminal-state.js';

const kinds: [string, AnyStateMachine, string, string][] = [
  ['mobile user terminal', mobileUserTerminalMachine, 'remoteAccessRequest', 'remoteAccessData'],
  ['gate terminal', gateTerminalMachine, 'merchantRemoteAccessRequest', 'merchantRemoteAccessData'],
  ['merchant terminal', merchantTerminalMachine, 'merchantRemoteAccessRequest', 'merchantRemoteAccessData'],
  ['accounting machine', accountingMachineMachine, 'merchantRemoteAccessRequest', 'merchantRemoteAccessData'],
  ['telephone-card accounting machine', phoneCardAccountingMachineMachine, 'merchantRemoteAccessRequest', 'merchantRemoteAccessData'],
];

describe.each(kinds)('%s', (_name, machine, requestType, responseType) => {
  const input = { deviceId: 'dev:gate:g1', principal: 'dev:gate:g1', merchantId: 'mer:shop' };
  const answer = (re: string, id = 'f'.repeat(32)) => ({ type: 'message.received' as const, messageType: responseType, id, re, fields: { dataAddress: 'sp:t/doc', found: true, contentType: 'text/plain', data: 'aGk=' } });

  it('sends its remote access request, and after a round trip stores the answer in the temporary area once', () => {
    const effects: UplinkEffect[] = [];
    const first = createActor(machine, { input });
    first.on('*', (event: UplinkEffect) => effects.push(event));
    first.start();
    first.send({ type: 'remoteAccess.start', requestId: 'r1', dataAddress: 'sp:t/doc' });
    expect(effects).toEqual([expect.objectContaining({ type: 'effect.uplink', id: 'r1', messageType: requestType })]);
    expect(terminalStateName(first.getSnapshot().value)).toBe('awaitingRemoteData');

    const sut = createActor(machine, { snapshot: JSON.parse(JSON.stringify(first.getPersistedSnapshot())) as Snapshot<unknown> }).start();
    sut.send(answer('r1'));
    const context = sut.getSnapshot().context as TerminalContext;
    expect(terminalStateName(sut.getSnapshot().value)).toBe('ready');
    expect(context.memory.temporaryArea['sp:t/doc']).toEqual({ contentType: 'text/plain', data: 'aGk=', found: true });
    expect(context.pending).toEqual({});
    sut.send(answer('r1'));
    expect((sut.getSnapshot().context as TerminalContext).seenMessageIds).toHaveLength(1);
  });

  it('ignores an answer to a request it never sent', () => {
    const sut = createActor(machine, { input }).start();
    sut.send({ type: 'remoteAccess.start', requestId: 'r1', dataAddress: 'sp:t/doc' });
    sut.send(answer('zz'));
    expect(terminalStateName(sut.getSnapshot().value)).toBe('awaitingRemoteData');
    expect((sut.getSnapshot().context as TerminalContext).memory.temporaryArea).toEqual({});
  });

  it('refuses every operation once use is disabled', () => {
    const effects: UplinkEffect[] = [];
    const sut = createActor(machine, { input });
    sut.on('*', (event: UplinkEffect) => effects.push(event));
    sut.start();
    sut.send({ type: 'terminal.useDisabled', reason: 'mandatory expiration' });
    sut.send({ type: 'remoteAccess.start', requestId: 'r2', dataAddress: 'sp:t/doc' });
    expect(sut.getSnapshot().value).toBe('useDisabled');
    expect((sut.getSnapshot().context as TerminalContext).status.useDisabled).toBe(true);
    expect(effects).toEqual([]);
  });
});
