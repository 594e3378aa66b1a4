// Proves each processor and director machine emits the right effects, and that its persisted snapshot survives a
// JSON round trip and continues where it stopped (what the actor system does at every step and at boot).
import { describe, expect, it } from '@jest/globals';
import { createActor, type AnyActor, type AnyEventObject, type AnyStateMachine, type Snapshot } from 'xstate';

type Sut = Omit<AnyActor, 'send'> & { send(event: AnyEventObject): void };
import type { Effect } from './effects.js';
import { merchantProcessorMachine } from './merchant-processor.machine.js';
import type { RemoteAccessRequested } from './processor-events.js';
import { remoteAccessDirectorMachine } from './remote-access-director.machine.js';
import { serviceManagerMachine } from './service-manager.machine.js';
import { ticketIssuerProcessorMachine } from './ticket-issuer-processor.machine.js';
import { userProcessorMachine } from './user-processor.machine.js';

function run(machine: AnyStateMachine, options: { input?: unknown; snapshot?: Snapshot<unknown> }): { sut: Sut; effects: Effect[] } {
  const effects: Effect[] = [];
  const sut = createActor(machine, options);
  sut.on('*', (event: Effect) => effects.push(event));
  sut.start();
  return { sut: sut as Sut, effects };
}

function roundTrip(actor: Sut): Snapshot<unknown> {
  return JSON.parse(JSON.stringify(actor.getPersistedSnapshot())) as Snapshot<unknown>;
}

const request: RemoteAccessRequested = {
  type: 'remoteAccess.requested',
  pg: 'txn:remote-access:abc',
  requestId: 'a'.repeat(32),
  requester: 'usr:alice',
  terminalId: 'dev:mobile:alice-phone',
  dataAddress: 'iss:ticket:acme/seats',
  holder: 'iss:ticket:acme',
  responseType: 'remoteAccessData',
};

describe('userProcessorMachine', () => {
  it('answers local data at once with remote access data to the user via the terminal', () => {
    const { sut, effects } = run(userProcessorMachine, { input: { spId: 'sp:t' } });
    const local: RemoteAccessRequested = { ...request, dataAddress: 'sp:t/doc', holder: 'sp:t', local: { found: true, contentType: 'text/plain', data: 'aGk=' } };
    sut.send(local);
    expect(effects).toHaveLength(1);
    expect(effects[0]).toMatchObject({ type: 'effect.send', channel: 'device', via: 'dev:mobile:alice-phone', to: 'usr:alice', messageType: 'remoteAccessData', re: request.requestId });
  });

  it('opens a process group with the service manager for data another party holds, after a round trip', () => {
    const first = run(userProcessorMachine, { input: { spId: 'sp:t' } });
    const { sut, effects } = run(userProcessorMachine, { snapshot: roundTrip(first.sut) });
    sut.send(request);
    expect(effects).toEqual([expect.objectContaining({ type: 'effect.actor', actorId: 'processor:service-manager', kind: 'service-manager', input: { spId: 'sp:t' } })]);
  });
});

describe('merchantProcessorMachine', () => {
  it('answers merchant devices with 5701 addressed to the device', () => {
    const { sut, effects } = run(merchantProcessorMachine, { input: { spId: 'sp:t' } });
    const fromGate: RemoteAccessRequested = { ...request, requester: 'dev:gate:g1', terminalId: 'dev:gate:g1', responseType: 'merchantRemoteAccessData', holder: 'sp:t', local: { found: false, contentType: '', data: '' } };
    sut.send(fromGate);
    expect(effects[0]).toMatchObject({ messageType: 'merchantRemoteAccessData', to: 'dev:gate:g1', via: 'dev:gate:g1' });
  });
});

describe('serviceManagerMachine', () => {
  it('spawns one director per process group, keyed by the group ID', () => {
    const { sut, effects } = run(serviceManagerMachine, { input: { spId: 'sp:t' } });
    sut.send({ type: 'process.open', pg: 'txn:remote-access:abc', process: 'remote-access', input: { request } });
    expect(effects).toEqual([
      { type: 'effect.actor', actorId: 'txn:remote-access:abc', kind: 'director:remote-access', input: { pg: 'txn:remote-access:abc', spId: 'sp:t', request }, event: { type: 'process.start', pg: 'txn:remote-access:abc' } },
    ]);
  });
});

describe('ticketIssuerProcessorMachine', () => {
  it('relays an exchange to the external party with the reply going to the director', () => {
    const { sut, effects } = run(ticketIssuerProcessorMachine, { input: { spId: 'sp:t' } });
    sut.send({ type: 'exchange.requested', pg: 'txn:x:1', party: 'iss:ticket:acme', messageType: 'remoteDataRequest', fields: { dataAddress: 'iss:ticket:acme/a' }, replyTo: 'txn:x:1' });
    expect(effects[0]).toMatchObject({ type: 'effect.send', channel: 'external', via: 'iss:ticket:acme', to: 'iss:ticket:acme', replyTo: 'txn:x:1' });
  });
});

describe('remoteAccessDirectorMachine', () => {
  it('waits for the holder, survives a snapshot round trip mid-wait, and answers once', () => {
    const first = run(remoteAccessDirectorMachine, { input: { pg: request.pg, spId: 'sp:t', request } });
    first.sut.send({ type: 'process.start', pg: request.pg });
    expect(first.sut.getSnapshot().value).toBe('awaitingRemoteData');
    expect(first.effects).toEqual([expect.objectContaining({ type: 'effect.actor', actorId: 'processor:ticket-issuer' })]);

    const { sut, effects } = run(remoteAccessDirectorMachine, { snapshot: roundTrip(first.sut) });
    expect(sut.getSnapshot().value).toBe('awaitingRemoteData');
    sut.send({ type: 'external.reply', pg: request.pg, messageType: 'remoteDataResponse', from: 'iss:ticket:acme', re: 'b'.repeat(32), fields: { dataAddress: request.dataAddress, found: true, contentType: 'text/plain', data: new TextEncoder().encode('row 7') } });
    expect(sut.getSnapshot().status).toBe('done');
    expect(effects).toHaveLength(1);
    expect(effects[0]).toMatchObject({ type: 'effect.send', messageType: 'remoteAccessData', to: 'usr:alice', fields: { found: true, contentType: 'text/plain' } });
    // A duplicate reply after completion does nothing.
    sut.send({ type: 'external.reply', pg: request.pg, messageType: 'remoteDataResponse', from: 'iss:ticket:acme', re: 'b'.repeat(32), fields: {} });
    expect(effects).toHaveLength(1);
  });

  it('ignores a reply of the wrong type while waiting', () => {
    const { sut } = run(remoteAccessDirectorMachine, { input: { pg: request.pg, spId: 'sp:t', request } });
    sut.send({ type: 'process.start', pg: request.pg });
    sut.send({ type: 'external.reply', pg: request.pg, messageType: 'clearingResponse', from: 'iss:ticket:acme', re: 'c'.repeat(32), fields: {} });
    expect(sut.getSnapshot().value).toBe('awaitingRemoteData');
  });

  it('answers not-found at once when no processor serves the holder', () => {
    const { sut, effects } = run(remoteAccessDirectorMachine, { input: { pg: request.pg, spId: 'sp:t', request: { ...request, holder: 'mer:shop', dataAddress: 'mer:shop/x' } } });
    sut.send({ type: 'process.start', pg: request.pg });
    expect(sut.getSnapshot().status).toBe('done');
    expect(effects[0]).toMatchObject({ messageType: 'remoteAccessData', fields: { found: false } });
  });
});
