// Proves the operator HTTP API: health, devices, machines, actors, the inspection trace per process group, the audit
// log, remote data and party enrolment, on a running platform with a real broker and database.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { createHttpApp } from '../../src/http/http-app.js';
import { inspectorTokenFor } from '../../src/http/inspector-token.js';
import { generatePrincipalKeys } from '../../src/protocol/crypto/crypto-backend.js';
import { NodeCryptoBackend } from '../../src/protocol/crypto/node-backend.js';
import { TestWorld } from '../helpers/world.js';
import { waitFor } from '../helpers/wait-for.js';

describe('operator HTTP API', () => {
  let world: TestWorld;
  let app: INestApplication;
  let base: string;
  const auth = () => ({ authorization: `Bearer ${inspectorTokenFor(world.platform)}` });
  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`, { headers: auth() });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  beforeAll(async () => {
    world = await TestWorld.create();
    app = await createHttpApp(world.platform);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app.close();
    await world.close();
  });

  it('refuses the operator API without the operator token, and keeps /health open', async () => {
    expect((await fetch(`${base}/api/devices`)).status).toBe(401);
    expect((await fetch(`${base}/api/terminals/forcible-update`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer wrong' }, body: '{}' })).status).toBe(401);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('reports health with where the broker listens', async () => {
    const { status, body } = await get('/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', sp: world.platform.spId, mqtt: { url: world.platform.mqttUrl, connected: true } });
  });

  it('lists every machine with its definition, processors and all five device kinds', async () => {
    const { body } = await get('/api/machines');
    const kinds = (body as { kind: string; definition: { id: string } }[]).map((machine) => machine.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['user-processor', 'merchant-processor', 'service-manager', 'director:remote-access', 'ticket-issuer-processor', 'payment-card-issuer-processor', 'phone-card-issuer-processor', 'transaction-processor-processor', 'device:mobile', 'device:gate', 'device:merchant', 'device:vending', 'device:phone-accounting']),
    );
    expect((body as { definition: { states: Record<string, unknown> } }[])[0]?.definition.states).toBeDefined();
  });

  it('puts remote data, and shows a remote access as a process group trace and as devices and actors', async () => {
    const put = await fetch(`${base}/api/remote-data/fares/2026.txt`, { method: 'PUT', headers: { 'content-type': 'application/json', ...auth() }, body: JSON.stringify({ contentType: 'text/plain', text: 'zone 1: 220' }) });
    expect(put.status).toBe(200);
    const alice = await world.user('alice');
    const entry = await alice.runtime.remoteAccess(`${world.platform.spId}/fares/2026.txt`);
    expect(Buffer.from(entry.data, 'base64').toString()).toBe('zone 1: 220');
    const pg = `txn:remote-access:${entry.requestId}`;
    const trace = await waitFor(async () => {
      const { body } = await get(`/api/inspection/process-groups/${encodeURIComponent(pg)}`);
      return (body as unknown[]).length === 3 ? (body as { kind: string; type: string; detail: Record<string, unknown> }[]) : undefined;
    }, 'the trace');
    expect(trace.map((event) => event.type)).toEqual(['remoteAccessRequest', 'remoteAccess.requested', 'remoteAccessData']);
    expect(trace[0]?.detail).toMatchObject({ from: 'usr:alice', to: world.platform.spId, sealed: true, verified: true });
    const groups = (await get('/api/inspection/process-groups')).body as { processGroup: string }[];
    expect(groups.map((group) => group.processGroup)).toContain(pg);
    const devices = (await get('/api/devices')).body as { id: string; lastSeenAt: number | null }[];
    expect(typeof devices.find((device) => device.id === 'dev:mobile:alice-phone')?.lastSeenAt).toBe('number');
    const actors = (await get('/api/actors?kind=user-processor')).body as { actorId: string }[];
    expect(actors.map((actor) => actor.actorId)).toEqual(['processor:user']);
  });

  it('lists refusals in the audit log', async () => {
    const gate = await world.merchantDevice('gate', 'g1');
    await gate.link.send(new Uint8Array([1, 2, 3]));
    const refusals = await waitFor(async () => {
      const { body } = await get('/api/audit?category=refusal');
      return (body as unknown[]).length > 0 ? (body as { reason: string; transport: string }[]) : undefined;
    }, 'a refusal');
    expect(refusals[0]).toMatchObject({ reason: 'malformed', transport: 'dev:gate:g1' });
  });

  it('enrols an external party by its public keys, once, and validates the body', async () => {
    const keys = generatePrincipalKeys(new NodeCryptoBackend());
    const body = { id: 'iss:payment-card:bank', displayName: 'Bank', signingPublicKey: Buffer.from(keys.signing.publicKey).toString('base64'), sealingPublicKey: Buffer.from(keys.sealing.publicKey).toString('base64') };
    const post = (payload: unknown) => fetch(`${base}/api/parties`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth() }, body: JSON.stringify(payload) });
    expect((await post(body)).status).toBe(201);
    expect((await post(body)).status).toBe(409);
    expect((await post({ ...body, id: 'usr:eve' })).status).toBe(400);
    expect((await post({ ...body, id: 'iss:ticket:x', signingPublicKey: 'AAAA' })).status).toBe(400);
    const key = await world.platform.identity.signingKey('iss:payment-card:bank', Date.now());
    expect(key.usable).toBe(true);
  });
});
