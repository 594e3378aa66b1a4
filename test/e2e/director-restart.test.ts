// Proves a service director waiting for an external party survives a crash: kill -9 the platform mid-wait, start it
// again, and the director resumes, finishes once, and the terminal receives exactly one answer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { systemClock } from '../../src/common/clock.js';
import { REMOTE_ACCESS_MESSAGES, remoteDataResponse } from '../../src/core/remote-access.messages.js';
import { readCredentialsFile } from '../../src/devices/credentials.js';
import { attachDevice } from '../../src/devices/runtime/attach-device.js';
import type { DeviceRuntime } from '../../src/devices/runtime/device-runtime.js';
import { startExternalPartyServer, type ExternalPartyServer } from '../../src/external/transport/index.js';
import { MessageCodec } from '../../src/protocol/codec.js';
import { generatePrincipalKeys } from '../../src/protocol/crypto/crypto-backend.js';
import { NodeCryptoBackend } from '../../src/protocol/crypto/node-backend.js';
import { Envelope } from '../../src/protocol/envelope.js';
import { MessageRegistry } from '../../src/protocol/message-registry.js';
import { readFileSync } from 'node:fs';
import { fromBase64 } from '../../src/common/bytes.js';
import { freePort, PlatformProcess } from '../helpers/platform-process.js';
import { waitFor } from '../helpers/wait-for.js';

const issuerId = 'iss:ticket:acme';
const OPERATOR_TOKEN = 'test-operator-token-0123456789';
const operator = { authorization: `Bearer ${OPERATOR_TOKEN}` };

describe('a service director across a crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-restart-'));
  const crypto = new NodeCryptoBackend();
  const issuerKeys = generatePrincipalKeys(crypto);
  let issuer: ExternalPartyServer;
  let platform: PlatformProcess | undefined;
  let runtime: DeviceRuntime | undefined;
  let requestsSeen = 0;
  let answering = false;
  let env: Record<string, string>;
  let httpUrl: string;

  beforeAll(async () => {

    const codec = new MessageCodec(new Envelope(crypto), new MessageRegistry().register(...REMOTE_ACCESS_MESSAGES), systemClock, { maxSkewMs: 300_000, numberRetentionMs: 86_400_000 });
    issuer = await startExternalPartyServer(
      async (frame) => {
        const sp = JSON.parse(readFileSync(join(dir, 'keys', 'sp-root.json'), 'utf8')) as { id: string; signing: { publicKey: string }; sealing: { publicKey: string } };
        const verified = await codec.receive(
          frame,
          { id: issuerId, sealingSecretKey: issuerKeys.sealing.secretKey, sealingPublicKey: issuerKeys.sealing.publicKey },
          { signingKey: (kid) => (kid === sp.id ? { usable: true, publicKey: fromBase64(sp.signing.publicKey), holder: kid } : { usable: false, reason: 'unknown-principal' }) },
          { remember: () => true },
        );
        requestsSeen += 1;
        // The first request is never answered: the platform dies while its director waits.
        if (!answering) await new Promise(() => undefined);
        return codec.compose(
          remoteDataResponse,
          { from: issuerId, to: sp.id as `sp:${string}`, re: verified.message.id, fields: { dataAddress: `${issuerId}/seats`, found: true, contentType: 'text/plain', data: new TextEncoder().encode('row 7') } },
          [{ kid: issuerId, secretKey: issuerKeys.signing.secretKey }],
          fromBase64(sp.sealing.publicKey),
        ).bytes;
      },
      { host: '127.0.0.1', port: 0, logger: false },
    );
    const [httpPort, mqttPort] = [await freePort(), await freePort()];
    httpUrl = `http://127.0.0.1:${httpPort}`;
    env = {
      TESSERA_DATA_DIR: dir,
      TESSERA_HTTP_PORT: String(httpPort),
      TESSERA_MQTT_PORT: String(mqttPort),
      TESSERA__EXTERNAL__PARTIES: JSON.stringify({ [issuerId]: { host: '127.0.0.1', port: issuer.port } }),
      TESSERA_LOG_LEVEL: 'warn',
      TESSERA_INSPECTION_TOKEN: OPERATOR_TOKEN,
      DATABASE_URL: '',
      TESSERA_MQTT_URL: '',
    };
    platform = PlatformProcess.start(env);
    await platform.healthy(httpUrl);
    const registered = await fetch(`${httpUrl}/api/parties`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...operator },
      body: JSON.stringify({ id: issuerId, displayName: 'ACME', signingPublicKey: Buffer.from(issuerKeys.signing.publicKey).toString('base64'), sealingPublicKey: Buffer.from(issuerKeys.sealing.publicKey).toString('base64') }),
    });
    expect(registered.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await runtime?.close();
    await platform?.kill('SIGTERM');
    await issuer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes the waiting director after kill -9 and answers the terminal once', async () => {
    const credentials = readCredentialsFile(join(dir, 'devices', 'alice-phone.json'));
    const attached = await attachDevice(credentials, { crypto, clock: systemClock, maxSkewMs: 300_000, mqttUrl: `mqtt://127.0.0.1:${env['TESSERA_MQTT_PORT']}` });
    runtime = attached.runtime;
    const answer = runtime.remoteAccess(`${issuerId}/seats`, 60_000);
    await waitFor(() => requestsSeen === 1, 'the issuer to receive the first request', 20_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${platform?.output ?? ''}`);
    });
    const waiting = (await (await fetch(`${httpUrl}/api/actors?kind=director:remote-access`, { headers: operator })).json()) as { actorId: string; stateValue: string; status: string }[];
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ stateValue: 'awaitingRemoteData', status: 'active' });
    const pg = waiting[0]?.actorId as string;

    await platform?.kill('SIGKILL');
    answering = true;
    platform = PlatformProcess.start(env);
    await platform.healthy(httpUrl);

    const entry = await answer;
    expect(entry.found).toBe(true);
    expect(Buffer.from(entry.data, 'base64').toString('utf8')).toBe('row 7');
    const director = await waitFor(async () => {
      const rows = (await (await fetch(`${httpUrl}/api/actors?kind=director:remote-access`, { headers: operator })).json()) as { actorId: string; stateValue: string; status: string }[];
      return rows[0]?.status === 'done' ? rows[0] : undefined;
    }, 'the director to finish');
    expect(director.actorId).toBe(pg);
    // The answer's trace row is written once the broker has acknowledged it, which may follow the terminal's receipt.
    const trace = await waitFor(async () => {
      const rows = (await (await fetch(`${httpUrl}/api/inspection/process-groups/${encodeURIComponent(pg)}`, { headers: operator })).json()) as { kind: string; type: string }[];
      return rows.some((event) => event.kind === 'message-out' && event.type === 'remoteAccessData') ? rows : undefined;
    }, 'the answer in the trace');
    const answers = trace.filter((event) => event.kind === 'message-out' && event.type === 'remoteAccessData');
    expect(answers).toHaveLength(1);
    expect(trace.filter((event) => event.kind === 'message-in' && event.type === 'remoteDataResponse')).toHaveLength(1);
    expect(requestsSeen).toBe(2);
    // The terminal applied one answer: its temporary area holds it and nothing is pending.
    expect(runtime.context.pending).toEqual({});
    expect(runtime.context.seenMessageIds).toHaveLength(1);
  }, 120_000);
});
