// Proves remote access [1471]-[1483] end to end for every device kind, through real actors, sealed messages, the
// MQTT broker over TCP and the database, including data another party holds (a service director waits for it).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ExternalPartyServer } from '../../src/external/transport/index.js';
import { startDocumentIssuer } from '../helpers/document-issuer.js';
import { TestWorld } from '../helpers/world.js';
import { waitFor } from '../helpers/wait-for.js';

describe('remote access', () => {
  let world: TestWorld;
  const text = (base64: string) => Buffer.from(base64, 'base64').toString('utf8');
  // The message-out event is written once the broker has the downlink, which may be just after the device has it.
  const traceOf = (pg: string, length: number) =>
    waitFor(async () => {
      const trace = await world.platform.inspection.processGroup(pg);
      return trace.length >= length ? trace : undefined;
    }, `${length} trace events in ${pg}`);

  beforeAll(async () => {
    world = await TestWorld.create();
    await world.platform.remoteData.put(`${world.platform.spId}/timetable.txt`, 'text/plain', new TextEncoder().encode('07:05 08:05 09:05'));
  });
  afterAll(async () => world.close());

  it('serves the mobile user terminal (5600 -> 5601) and stores the data in its temporary area', async () => {
    const alice = await world.user('alice');
    const entry = await alice.runtime.remoteAccess(`${world.platform.spId}/timetable.txt`);
    expect(entry.found).toBe(true);
    expect(text(entry.data)).toBe('07:05 08:05 09:05');
    expect(alice.runtime.context.memory.temporaryArea[`${world.platform.spId}/timetable.txt`]?.contentType).toBe('text/plain');
    expect(alice.runtime.state).toBe('ready');
    const trace = await traceOf(`txn:remote-access:${entry.requestId}`, 3);
    expect(trace.map((event) => `${event.kind}:${event.type}`)).toEqual(['message-in:remoteAccessRequest', 'transition:remoteAccess.requested', 'message-out:remoteAccessData']);
    expect(trace[0]?.detail['from']).toBe('usr:alice');
    expect(trace[1]?.detail).toEqual({ kind: 'user-processor', from: 'serving', to: 'serving' });
    expect(trace[2]?.detail['to']).toBe('usr:alice');
  });

  it('serves a document as it is now: a replaced one, and one not there until it is put', async () => {
    const nora = await world.user('nora');
    const address = `${world.platform.spId}/notice.txt`;
    expect((await nora.runtime.remoteAccess(address)).found).toBe(false);
    await world.platform.remoteData.put(address, 'text/plain', new TextEncoder().encode('first'));
    expect(text((await nora.runtime.remoteAccess(address)).data)).toBe('first');
    await world.platform.remoteData.put(address, 'text/plain', new TextEncoder().encode('second'));
    expect(text((await nora.runtime.remoteAccess(address)).data)).toBe('second');
  });

  it.each([
    ['gate', 'gate-1'],
    ['merchant', 'till-1'],
    ['vending', 'vend-1'],
    ['phone-accounting', 'switch-1'],
  ] as const)('serves a %s device (5700 -> 5701)', async (kind, name) => {
    const device = await world.merchantDevice(kind, name, kind === 'phone-accounting' ? 'telco' : 'shop');
    const entry = await device.runtime.remoteAccess(`${world.platform.spId}/timetable.txt`);
    expect(entry.found).toBe(true);
    expect(text(entry.data)).toBe('07:05 08:05 09:05');
    const trace = await traceOf(`txn:remote-access:${entry.requestId}`, 3);
    expect(trace.map((event) => `${event.kind}:${event.type}`)).toEqual(['message-in:merchantRemoteAccessRequest', 'transition:remoteAccess.requested', 'message-out:merchantRemoteAccessData']);
    expect(trace[2]?.detail['to']).toBe(device.credentials.deviceId);
  });

  it('answers found=false for an address nobody holds', async () => {
    const bob = await world.user('bob');
    const entry = await bob.runtime.remoteAccess(`${world.platform.spId}/missing.txt`);
    expect(entry.found).toBe(false);
  });

  describe('data another party holds', () => {
    let issuer: ExternalPartyServer;
    const issuerId = 'iss:ticket:acme' as const;
    let served = 0;

    beforeAll(async () => {
      issuer = await startDocumentIssuer(world, issuerId, 'seat map v3', () => (served += 1));
    });
    afterAll(async () => issuer.close());

    it('opens a process group whose service director fetches it through the ticket issuer processor', async () => {
      const carol = await world.user('carol');
      const entry = await carol.runtime.remoteAccess(`${issuerId}/events/42/seats`);
      expect(entry.found).toBe(true);
      expect(text(entry.data)).toBe('seat map v3');
      expect(served).toBe(1);
      const pg = `txn:remote-access:${entry.requestId}`;
      const director = await waitFor(async () => {
        const row = await world.platform.actors.snapshotOf(pg);
        return row?.status === 'done' ? row : undefined;
      }, 'director done');
      expect(director.kind).toBe('director:remote-access');
      const trace = await traceOf(pg, 9);
      const steps = trace.map((event) => `${event.kind}:${event.type}:${event.actorId}`);
      expect(steps).toEqual([
        'message-in:remoteAccessRequest:processor:user',
        'transition:remoteAccess.requested:processor:user',
        'transition:process.open:processor:service-manager',
        'transition:process.start:' + pg,
        'transition:exchange.requested:processor:ticket-issuer',
        'message-out:remoteDataRequest:outbox:iss:ticket:acme',
        'message-in:remoteDataResponse:' + pg,
        'transition:external.reply:' + pg,
        'message-out:remoteAccessData:outbox:dev:mobile:carol-phone',
      ]);
      expect(await world.platform.dispatcher.pendingCount()).toBe(0);
    });
  });
});
