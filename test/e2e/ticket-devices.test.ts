// Proves the ticket devices as real processes, as the README walkthrough runs them: the compiled platform as a child
// process, the phone's simulator orders, buys and registers a coupon ticket with one CLI process per command, the
// operator puts the gate's merchant on the merchant list over HTTP, the gate runs as its own process (`gate --setup
// CODE --serve`), and a separate CLI process presents the ticket to it twice over the MQTT proximity relay; a
// turnstile controller subscribed to the gate's `out/open` gets both opening signals.
// The broker is one this test starts (the embedded broker's code, with service credentials it knows): Tessera's own
// embedded broker admits only devices and the SP, so nothing else could subscribe to `out/open` there.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, type MqttClient } from 'mqtt';
import { systemClock } from '../../src/common/clock.js';
import { readCredentialsFile } from '../../src/devices/credentials.js';
import { NodeCryptoBackend } from '../../src/protocol/crypto/node-backend.js';
import type { DeviceId } from '../../src/protocol/ids.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/transport/mqtt/embedded-broker.js';
import { outputTopic } from '../../src/transport/mqtt/topics.js';
import { freePort, PlatformProcess } from '../helpers/platform-process.js';
import { waitFor } from '../helpers/wait-for.js';

const run = promisify(execFile);
const GATE = 'dev:gate:metro-gate-1' as DeviceId;
const CODE = 'museum-metro-3';

async function simulator(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['dist/src/devices/simulator/cli.js', ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** The JSON the command printed on its last stdout line. */
function printed(result: { stdout: string; stderr: string }): Record<string, unknown> {
  const last = result.stdout.trim().split('\n').pop();
  if (last === undefined || last === '') throw new Error(`no output; stderr: ${result.stderr}`);
  return JSON.parse(last) as Record<string, unknown>;
}

describe('ticket devices as separate processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-ticket-devices-'));
  const service = { username: 'sp:tessera', password: randomBytes(18).toString('base64url') };
  let broker: EmbeddedBroker;
  let platform: PlatformProcess;
  let http = '';
  let token = '';
  let gate: ChildProcess | undefined;
  let gateOutput = '';
  let turnstile: MqttClient | undefined;
  const openings: string[] = [];
  const phone = () => ['--credentials', join(dir, 'devices', 'alice-phone.json'), '--state-file', join(dir, 'alice-phone.state.json'), '--timeout', '15000'];

  beforeAll(async () => {
    // Devices authenticate with connect tokens checked against the keys the platform wrote to its demo credentials.
    const lookupDevice = async (id: string) => {
      const folder = join(dir, 'devices');
      if (!existsSync(folder)) return undefined;
      const file = readdirSync(folder).map((name) => readCredentialsFile(join(folder, name))).find((credentials) => credentials.deviceId === id);
      return file === undefined ? undefined : { signingPublicKey: file.device.keys.signing.publicKey, enabled: true };
    };
    broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, maxSkewMs: 300_000, clock: systemClock, crypto: new NodeCryptoBackend(), lookupDevice, service });
    const port = await freePort();
    http = `http://127.0.0.1:${port}`;
    platform = PlatformProcess.start({
      TESSERA_DATA_DIR: dir,
      TESSERA_HTTP_PORT: String(port),
      TESSERA_MQTT_URL: broker.url,
      TESSERA_MQTT_USERNAME: service.username,
      TESSERA_MQTT_PASSWORD: service.password,
      TESSERA_LOG_LEVEL: 'warn',
    });
    await platform.healthy(http, 30_000);
    token = readFileSync(join(dir, 'keys', 'operator-token'), 'utf8').trim();
    turnstile = connect(broker.url, { clientId: 'turnstile-metro-gate-1', username: service.username, password: service.password, protocolVersion: 4 });
    await new Promise<void>((resolve, reject) => {
      turnstile?.once('connect', () => resolve());
      turnstile?.once('error', reject);
    });
    turnstile.on('message', (_topic, payload) => openings.push(payload.toString('utf8')));
    await turnstile.subscribeAsync(outputTopic(GATE, 'open'), { qos: 1 });
  }, 60_000);

  afterAll(async () => {
    if (gate !== undefined && gate.exitCode === null) {
      const exited = new Promise((resolve) => gate?.once('exit', resolve));
      gate.kill('SIGINT');
      await exited;
    }
    await turnstile?.endAsync();
    await platform?.kill('SIGTERM');
    await broker?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('orders, buys and registers a coupon ticket, then passes the gate process twice with the gate opening on out/open', async () => {
    const ordered = await simulator([...phone(), 'ticket', 'order', CODE]);
    expect(ordered.code).toBe(0);
    const offer = printed(ordered);
    expect(offer).toMatchObject({ responseCode: 'ticket-available', title: 'Museum and metro, 3 coupons', price: { amount: 1200, currency: 'EUR' }, coupons: 3 });

    const bought = await simulator([...phone(), 'ticket', 'buy', String(offer['offerNumber'])]);
    expect(bought.code).toBe(0);
    const purchase = printed(bought);
    expect(purchase).toMatchObject({ outcome: 'issued', clearing: 'spontaneous' });
    const [ticketId] = purchase['ticketIds'] as string[];
    expect(ticketId).toMatch(/^museum-metro-3-/);

    const registered = await simulator([...phone(), 'ticket', 'register', ticketId ?? '']);
    expect(registered.code).toBe(0);
    expect(printed(registered)).toMatchObject({ ticketId, outcome: 'registered', status: { registration: 'registered' } });

    const listed = await simulator([...phone(), 'ticket', 'list']);
    expect(listed.code).toBe(0);
    expect(printed(listed)).toMatchObject({ ticketId, variable: { couponsLeft: 3 } });

    // The operator puts the metro on the merchant list of the ticket code; without the token nothing changes.
    expect((await fetch(`${http}/api/tickets/${CODE}/merchants/mer:metro`, { method: 'PUT' })).status).toBe(401);
    const listing = await fetch(`${http}/api/tickets/${CODE}/merchants/mer:metro`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(listing.status).toBe(200);
    expect(await listing.json()).toEqual({ ticketCode: CODE, merchantId: 'mer:metro', gateId: null });

    const gateProcess = spawn(process.execPath, ['dist/src/devices/simulator/cli.js', '--credentials', join(dir, 'devices', 'metro-gate-1.json'), '--state-file', join(dir, 'metro-gate-1.state.json'), '--setup', CODE, 'gate', '--serve'], { stdio: ['ignore', 'pipe', 'pipe'] });
    gate = gateProcess;
    gateProcess.stdout.on('data', (chunk: Buffer) => (gateOutput += chunk.toString()));
    gateProcess.stderr.on('data', (chunk: Buffer) => (gateOutput += chunk.toString()));
    await waitFor(() => {
      if (gateProcess.exitCode !== null) throw new Error(`the gate exited ${gateProcess.exitCode}:\n${gateOutput}`);
      return gateOutput.includes(`${GATE} examines ${CODE}`);
    }, 'the gate to be set up and serving', 20_000);
    expect(gateOutput).toContain('"outcome":"set-up"');

    for (const couponsLeft of [2, 1]) {
      const presented = await simulator([...phone(), 'ticket', 'present', ticketId ?? '', '--gate', GATE]);
      expect(presented.code).toBe(0);
      expect(printed(presented)).toMatchObject({ outcome: 'examined', certificate: { ticketId, gateId: GATE, merchantId: 'mer:metro', ticketExaminationNumber: 3 - couponsLeft }, variable: { couponsLeft } });
    }

    await waitFor(() => openings.length >= 2, 'two opening signals on out/open');
    expect(openings.map((signal) => JSON.parse(signal) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ ticketId, ticketCode: CODE }),
      expect.objectContaining({ ticketId, ticketCode: CODE }),
    ]);
    const examined = gateOutput.split('\n').filter((line) => line.startsWith('{') && line.includes('"kind":"examined"')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(examined).toEqual([expect.objectContaining({ ticketId, opened: true, ticketExaminationNumber: 1 }), expect.objectContaining({ ticketId, opened: true, ticketExaminationNumber: 2 })]);
  }, 120_000);

  it('refuses an order the issuer cannot fill, with exit 5 and the response code', async () => {
    const refused = await simulator([...phone(), 'ticket', 'order', 'final-sold-out']);
    // Compared with its stderr, so a wrong exit code shows why the CLI failed.
    expect({ code: refused.code, stderr: refused.stderr }).toEqual({ code: 5, stderr: refused.stderr });
    expect(printed(refused)).toMatchObject({ responseCode: 'sold-out', offerNumber: null });
  }, 60_000);
});
