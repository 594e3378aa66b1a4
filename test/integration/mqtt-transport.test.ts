// Proves the MQTT transport over real TCP: CONNECT authentication, per-device ACLs, no uplink or downlink lost across outages and restarts, and the taken-port error.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { systemClock } from '../../src/common/clock.js';
import { DeviceLink, type DeviceLinkOptions } from '../../src/devices/link/device-link.js';
import { NodeCryptoBackend } from '../../src/protocol/crypto/node-backend.js';
import { ids, type DeviceId } from '../../src/protocol/ids.js';
import { BrokerLink } from '../../src/transport/mqtt/broker-link.js';
import type { DeviceAdmission } from '../../src/transport/mqtt/connect-authenticator.js';
import { makeConnectToken } from '../../src/transport/mqtt/connect-token.js';
import { startEmbeddedBroker, type BrokerRefusal, type EmbeddedBroker } from '../../src/transport/mqtt/embedded-broker.js';
import type { ServiceTransport } from '../../src/transport/mqtt/service-transport.js';
import { downTopic, outputTopic, statusTopic, upTopic, type DeviceStatus } from '../../src/transport/mqtt/topics.js';

const crypto = new NodeCryptoBackend();
const SERVICE = { username: 'sp:test', password: 'service-secret' };
const utf8 = new TextEncoder();
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

interface Party {
  readonly id: DeviceId;
  readonly secretKey: Uint8Array;
}

function party(id: DeviceId): Party {
  return { id, secretKey: crypto.randomBytes(32) };
}

const gate = party(ids.device('gate', 'g1'));
const phone = party(ids.device('mobile', 'm1'));
const retired = party(ids.device('vending', 'v1'));
const stranger = party(ids.device('gate', 'nobody'));

const registry = new Map<DeviceId, DeviceAdmission>(
  [gate, phone, retired].map((p) => [p.id, { signingPublicKey: crypto.ed25519PublicKey(p.secretKey), enabled: p !== retired }]),
);

/** Polls a condition; the only waiting these tests do, always bounded. */
async function waitFor(condition: () => boolean, label: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function within<T>(promise: Promise<T>, label: string, timeoutMs = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${label}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Everything a test opens, closed in reverse order after it, so Jest exits without open handles. */
const cleanups: Array<() => Promise<unknown>> = [];
function closeLater<T extends { close(): Promise<unknown> }>(resource: T): T {
  cleanups.push(() => resource.close());
  return resource;
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface World {
  readonly broker: EmbeddedBroker;
  readonly refusals: BrokerRefusal[];
}

const TURNSTILE = { username: 'reader:turnstile-1', password: 'turnstile-secret-1' };

async function startBroker(port = 0, refusals: BrokerRefusal[] = []): Promise<World> {
  const broker = await startEmbeddedBroker({
    outputReaders: { [TURNSTILE.username]: { password: TURNSTILE.password, devices: [gate.id] } },
    host: '127.0.0.1',
    port,
    maxSkewMs: 60_000,
    clock: systemClock,
    crypto,
    lookupDevice: async (id) => registry.get(id),
    service: SERVICE,
    onRefusal: (event) => refusals.push(event),
  });
  return { broker: closeLater(broker), refusals };
}

interface Service {
  readonly link: ServiceTransport;
  readonly uplinks: Array<{ deviceId: DeviceId; payload: string }>;
  readonly statuses: Array<{ deviceId: DeviceId; status: DeviceStatus }>;
}

function recording<T extends ServiceTransport>(link: T): Service & { readonly link: T } {
  const uplinks: Service['uplinks'] = [];
  const statuses: Service['statuses'] = [];
  link.onUplink(async (deviceId, payload) => {
    uplinks.push({ deviceId, payload: text(payload) });
  });
  link.onStatus((deviceId, status) => {
    statuses.push({ deviceId, status });
  });
  return { link, uplinks, statuses };
}

async function startService(url: string, credentials: { username?: string; password?: string } = SERVICE, clientId = 'tessera-sp-test'): Promise<Service> {
  const service = recording(closeLater(new BrokerLink({ clientId, reconnectPeriodMs: 50 })));
  await service.link.connect(url, credentials.username, credentials.password);
  return service;
}

/** The platform's way on the embedded broker: no socket, no credentials. */
async function startInProcessService(broker: EmbeddedBroker): Promise<Service> {
  const service = recording(closeLater(broker.serviceLink()));
  await service.link.attach();
  return service;
}

const SERVICE_LINKS = [
  { name: 'BrokerLink (mqtt.js over TCP)', start: (broker: EmbeddedBroker) => startService(broker.url) },
  { name: 'InProcessServiceLink (aedes in-process)', start: startInProcessService },
] as const;

interface Device {
  readonly link: DeviceLink;
  readonly downlinks: string[];
}

async function startDevice(url: string, who: Party, overrides: Partial<DeviceLinkOptions> = {}): Promise<Device> {
  const link = closeLater(
    new DeviceLink({ url, deviceId: who.id, crypto, signingSecretKey: who.secretKey, clock: systemClock, reconnectPeriodMs: 50, ...overrides }),
  );
  const downlinks: string[] = [];
  link.onDownlink((payload) => {
    downlinks.push(text(payload));
  });
  await link.start();
  return { link, downlinks };
}

/** A bare mqtt.js client that does not reconnect: an attacker, or a device with hand-made credentials. */
function rawClient(url: string, options: IClientOptions): MqttClient {
  const client = connect(url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 2_000, ...options });
  client.on('error', () => undefined);
  cleanups.push(() => client.endAsync(true));
  return client;
}

function once(client: MqttClient, event: 'connect' | 'close'): Promise<void> {
  return within(new Promise<void>((resolve) => client.once(event, () => resolve())), `raw client ${event}`);
}

function refusalOf(client: MqttClient): Promise<number> {
  return within(
    new Promise<number>((resolve) =>
      client.once('error', (error) => resolve('code' in error && typeof error.code === 'number' ? error.code : -1)),
    ),
    'CONNACK refusal',
  );
}

function deviceCredentials(who: Party, tokenFor: Party = who): IClientOptions {
  return { clientId: who.id, username: who.id, password: Buffer.from(makeConnectToken(crypto, tokenFor.id, tokenFor.secretKey, Date.now())) };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.each(SERVICE_LINKS)('the service side of the embedded broker: $name', ({ start }) => {
  it("carries a device's uplink to the service and the service's downlink to the device", async () => {
    const { broker } = await startBroker();
    const service = await start(broker);
    const device = await startDevice(broker.url, gate);
    await waitFor(() => device.link.state === 'online', 'the gate online');
    expect(service.link.connected).toBe(true);

    const receipt = await device.link.send(utf8.encode('hello service'));
    expect(await within(receipt.delivery, 'PUBACK')).toBe('acknowledged');
    await waitFor(() => service.uplinks.length === 1, 'the uplink');
    expect(service.uplinks).toEqual([{ deviceId: gate.id, payload: 'hello service' }]);

    await service.link.publishDown(gate.id, utf8.encode('hello gate'));
    await waitFor(() => device.downlinks.length === 1, 'the downlink');
    expect(device.downlinks).toEqual(['hello gate']);

    await expect(device.link.publishOutput('open', utf8.encode('1'))).resolves.toBeUndefined();
    await waitFor(() => service.statuses.some((s) => s.deviceId === gate.id && s.status === 'online'), 'online status');
    await device.link.close();
    await waitFor(() => service.statuses.at(-1)?.status === 'offline', "the gate's will");
  });

  it('keeps uplinks in order per device', async () => {
    const { broker } = await startBroker();
    const service = await start(broker);
    const device = await startDevice(broker.url, phone);
    const sent = Array.from({ length: 20 }, (_, i) => `m${i}`);
    for (const message of sent) await device.link.send(utf8.encode(message));
    await waitFor(() => service.uplinks.length === sent.length, 'all uplinks');
    expect(service.uplinks.map((u) => u.payload)).toEqual(sent);
  });

  it('holds devices off (server unavailable) until the service has subscribed, then lets them in', async () => {
    const { broker, refusals } = await startBroker();
    const device = await startDevice(broker.url, gate);
    await waitFor(() => device.link.lastRefusal !== undefined, 'a refusal');
    expect(device.link.lastRefusal?.code).toBe(3);
    expect(refusals).toContainEqual({ action: 'connect', clientId: gate.id, username: gate.id, reason: 'service-not-ready' });
    await start(broker);
    await waitFor(() => device.link.state === 'online', 'the gate online');
  });

  it('refuses downlinks once closed', async () => {
    const { broker } = await startBroker();
    const service = await start(broker);
    await service.link.close();
    expect(service.link.connected).toBe(false);
    await expect(service.link.publishDown(gate.id, utf8.encode('late'))).rejects.toThrow(/not (connected|attached)/);
  });
});

describe('MQTT transport over the embedded broker', () => {
  it("rejects BrokerLink.connect at once when the broker refuses the service's credentials", async () => {
    const { broker, refusals } = await startBroker();
    const started = Date.now();
    await expect(startService(broker.url, { username: SERVICE.username, password: 'wrong' })).rejects.toThrow(/refused the service's CONNECT/);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(refusals.map((r) => r.reason)).toEqual(['bad-service-credentials']);
  });

  describe('refuses at CONNECT', () => {
    it.each([
      ["a token signed by another device's key", gate.id, phone.secretKey, 'bad-signature', 4],
      ["another device's ID with the device's own key", phone.id, gate.secretKey, 'bad-signature', 4],
      ['a disabled device', retired.id, retired.secretKey, 'disabled', 5],
      ['an unregistered device', stranger.id, stranger.secretKey, 'unknown-device', 4],
    ] as const)('%s', async (_label, deviceId, secretKey, reason, code) => {
      const { broker, refusals } = await startBroker();
      const service = await startService(broker.url);
      const device = await startDevice(broker.url, { id: deviceId, secretKey }, { refusedRetryPeriodMs: 60_000 });
      await waitFor(() => device.link.lastRefusal !== undefined, 'a refusal');
      expect(device.link.state).toBe('refused');
      expect(device.link.lastRefusal?.code).toBe(code);
      expect(refusals).toEqual([{ action: 'connect', clientId: deviceId, username: deviceId, reason }]);
      expect(service.statuses.filter((s) => s.deviceId === deviceId)).toEqual([]);
    });

    it("a client ID that is not the username (another device's session)", async () => {
      const { broker, refusals } = await startBroker();
      await startService(broker.url);
      const client = rawClient(broker.url, { ...deviceCredentials(phone), clientId: gate.id });
      expect(await refusalOf(client)).toBe(2);
      expect(refusals).toEqual([{ action: 'connect', clientId: gate.id, username: phone.id, reason: 'client-id-mismatch' }]);
    });

    it("a valid token of one device presented under another device's ID", async () => {
      const { broker, refusals } = await startBroker();
      await startService(broker.url);
      const client = rawClient(broker.url, deviceCredentials(phone, gate));
      expect(await refusalOf(client)).toBe(4);
      expect(refusals.map((r) => r.reason)).toEqual(['wrong-device']);
    });

    it('a replayed token', async () => {
      const { broker, refusals } = await startBroker();
      await startService(broker.url);
      const credentials = deviceCredentials(gate);
      const first = rawClient(broker.url, credentials);
      await once(first, 'connect');
      await first.endAsync();
      const second = rawClient(broker.url, credentials);
      expect(await refusalOf(second)).toBe(4);
      expect(refusals.map((r) => r.reason)).toEqual(['replay']);
    });
  });

  describe('confines a connected device to its own topics', () => {
    it.each([
      ["another device's up topic", upTopic(phone.id), false, 'topic-not-allowed'],
      ["another device's status", statusTopic(phone.id), true, 'topic-not-allowed'],
      ['its own down topic', downTopic(gate.id), false, 'topic-not-allowed'],
      ['a retained uplink', upTopic(gate.id), true, 'retain-not-allowed'],
    ] as const)('drops the connection of a device publishing to %s; the service never sees it', async (_label, topic, retain, reason) => {
      const { broker, refusals } = await startBroker();
      const service = await startService(broker.url);
      const honest = await startDevice(broker.url, phone);
      await waitFor(() => honest.link.state === 'online', 'the phone online');
      const attacker = rawClient(broker.url, deviceCredentials(gate));
      await once(attacker, 'connect');
      const dropped = once(attacker, 'close');
      attacker.publish(topic, 'forged', { qos: 1, retain });
      await dropped;
      expect(refusals).toEqual([{ action: 'publish', clientId: gate.id, username: gate.id, reason, topic }]);
      // A message sent after the forgery arrives; the forgery, earlier on the same broker, never did.
      await honest.link.send(utf8.encode('genuine'));
      await waitFor(() => service.uplinks.length === 1, 'the genuine uplink');
      expect(service.uplinks).toEqual([{ deviceId: phone.id, payload: 'genuine' }]);
      expect(service.statuses.filter((s) => s.deviceId === phone.id).map((s) => s.status)).toEqual(['online']);
    });

    it('grants failure (128) to subscriptions beyond its own down topic and delivers nothing else', async () => {
      const { broker, refusals } = await startBroker();
      const service = await startService(broker.url);
      const spy = rawClient(broker.url, deviceCredentials(gate));
      await once(spy, 'connect');
      const received: string[] = [];
      spy.on('message', (topic) => received.push(topic));
      for (const filter of ['#', downTopic(phone.id), 'tessera/v1/dev/+/+/down', 'tessera/v1/dev/gate/g1/#', '$SYS/#']) {
        await expect(spy.subscribeAsync(filter, { qos: 1 })).rejects.toMatchObject({ packet: { granted: [128] } });
      }
      expect(refusals.map((r) => r.action)).toEqual(['subscribe', 'subscribe', 'subscribe', 'subscribe', 'subscribe']);
      await expect(spy.subscribeAsync(downTopic(gate.id), { qos: 1 })).resolves.toEqual([{ topic: downTopic(gate.id), qos: 1 }]);
      await service.link.publishDown(phone.id, utf8.encode('for the phone'));
      await service.link.publishDown(gate.id, utf8.encode('for the gate'));
      await waitFor(() => received.length === 1, 'the gate downlink');
      expect(received).toEqual([downTopic(gate.id)]);
    });
  });

  it("lets an output reader (a turnstile controller) watch its gate's outputs and nothing else", async () => {
    const { broker, refusals } = await startBroker();
    await startService(broker.url);
    const turnstile = rawClient(broker.url, { clientId: 'turnstile-1', ...TURNSTILE });
    await once(turnstile, 'connect');
    const received: string[] = [];
    turnstile.on('message', (topic, payload) => received.push(`${topic} ${text(payload)}`));
    await expect(turnstile.subscribeAsync(outputTopic(gate.id, 'open'), { qos: 1 })).resolves.toEqual([{ topic: outputTopic(gate.id, 'open'), qos: 1 }]);
    for (const filter of [outputTopic(phone.id, 'open'), upTopic(gate.id), downTopic(gate.id), 'tessera/v1/dev/+/+/out/+', '#']) {
      await expect(turnstile.subscribeAsync(filter, { qos: 1 })).rejects.toMatchObject({ packet: { granted: [128] } });
    }
    const device = await startDevice(broker.url, gate);
    await waitFor(() => device.link.state === 'online', 'the gate online');
    await device.link.publishOutput('open', utf8.encode('ticket-1'));
    await waitFor(() => received.length === 1, 'the opening signal');
    expect(received).toEqual([`${outputTopic(gate.id, 'open')} ticket-1`]);
    // A reader publishes nothing: the broker drops its connection.
    const dropped = once(turnstile, 'close');
    turnstile.publish(outputTopic(gate.id, 'open'), 'forged', { qos: 1 });
    await dropped;
    expect(refusals.filter((r) => r.username === TURNSTILE.username).map((r) => r.action)).toEqual(['subscribe', 'subscribe', 'subscribe', 'subscribe', 'subscribe', 'publish']);
    const impostor = rawClient(broker.url, { clientId: 'turnstile-2', username: TURNSTILE.username, password: 'wrong-password-0' });
    await expect(new Promise((resolve, reject) => impostor.once('error', reject).once('connect', resolve))).rejects.toThrow(/Bad username or password/);
  });

  it('delivers an uplink sent while the broker was down once a new broker listens on the same port', async () => {
    const first = await startBroker();
    const service = await startService(first.broker.url);
    const device = await startDevice(first.broker.url, gate);
    await waitFor(() => device.link.state === 'online', 'the gate online');
    await first.broker.close();
    await waitFor(() => device.link.state !== 'online' && !service.link.connected, 'both links offline');

    const receipt = await device.link.send(utf8.encode('sent in the dark'));
    expect(device.link.pendingCount).toBe(1);
    await startBroker(first.broker.port);
    expect(await within(receipt.delivery, 'delivery after the restart')).toBe('acknowledged');
    await waitFor(() => service.uplinks.length === 1, 'the uplink');
    expect(service.uplinks).toEqual([{ deviceId: gate.id, payload: 'sent in the dark' }]);
    expect(device.link.pendingCount).toBe(0);
  });

  it('replays a file-backed outbox after the device process restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-device-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const outboxDir = join(dir, 'outbox');
    const { broker } = await startBroker();
    const service = await startService(broker.url);

    const before = await startDevice(`mqtt://127.0.0.1:${await freePort()}`, phone, { outboxDir });
    const receipts = [await before.link.send(utf8.encode('one')), await before.link.send(utf8.encode('two'))];
    await before.link.close();
    expect(await Promise.all(receipts.map((r) => r.delivery))).toEqual(['kept', 'kept']);
    expect(await readdir(outboxDir)).toHaveLength(2);

    const after = await startDevice(broker.url, phone, { outboxDir });
    await waitFor(() => service.uplinks.length === 2, 'the replayed uplinks');
    expect(service.uplinks.map((u) => u.payload)).toEqual(['one', 'two']);
    await waitFor(() => after.link.pendingCount === 0, 'an empty outbox');
    expect(await readdir(outboxDir)).toEqual([]);
  });

  it('keeps a downlink published while the device is offline and delivers it when the device reconnects', async () => {
    const { broker } = await startBroker();
    const service = await startService(broker.url);
    const before = await startDevice(broker.url, gate);
    await waitFor(() => before.link.state === 'online', 'the gate online');
    await before.link.close();
    await waitFor(() => service.statuses.at(-1)?.status === 'offline', 'the gate offline');

    await service.link.publishDown(gate.id, utf8.encode('while you were away'));
    const after = await startDevice(broker.url, gate);
    await waitFor(() => after.downlinks.length === 1, 'the queued downlink');
    expect(after.downlinks).toEqual(['while you were away']);
  });

  it('fails quickly with one line naming the setting when the port is taken', async () => {
    const { broker } = await startBroker();
    const started = Date.now();
    const attempt = startBroker(broker.port);
    await expect(attempt).rejects.toThrow(
      `mqtt.embedded.port: 127.0.0.1:${broker.port} is already in use (EADDRINUSE); set TESSERA_MQTT_PORT or mqtt.embedded.port to a free port, or point mqtt.url at an external broker`,
    );
    const message = await attempt.catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
    expect(message).not.toContain('\n');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

const externalUrl = process.env['TESSERA_TEST_MQTT_URL'];

/** CONNECT authentication and ACLs are the external broker's business; this checks only the round trip. */
(externalUrl === undefined ? describe.skip : describe)(`MQTT transport against the external broker at ${externalUrl ?? '(unset)'}`, () => {
  const url = externalUrl ?? '';
  const suffix = randomBytes(4).toString('hex');
  const device = party(ids.device('gate', `t-${suffix}`));
  const spClientId = `tessera-sp-test-${suffix}`;
  const credentials = {
    ...(process.env['TESSERA_TEST_MQTT_USERNAME'] === undefined ? {} : { username: process.env['TESSERA_TEST_MQTT_USERNAME'] }),
    ...(process.env['TESSERA_TEST_MQTT_PASSWORD'] === undefined ? {} : { password: process.env['TESSERA_TEST_MQTT_PASSWORD'] }),
  };

  /** Leave the broker as found: no retained status, no persistent sessions. */
  afterAll(async () => {
    const janitor = connect(url, { protocolVersion: 4, reconnectPeriod: 0, clean: true, clientId: `tessera-janitor-${suffix}`, ...credentials });
    janitor.on('error', () => undefined);
    await once(janitor, 'connect');
    await janitor.publishAsync(statusTopic(device.id), '', { qos: 1, retain: true });
    await janitor.endAsync();
    for (const clientId of [spClientId, device.id]) {
      const purge = connect(url, { protocolVersion: 4, reconnectPeriod: 0, clean: true, clientId, ...credentials });
      purge.on('error', () => undefined);
      await once(purge, 'connect');
      await purge.endAsync();
    }
  });

  it('carries an uplink and a downlink', async () => {
    const service = await startService(url, credentials, spClientId);
    const gateLink = await startDevice(url, device, { ...(credentials.password === undefined ? {} : { password: credentials.password }) });
    await waitFor(() => gateLink.link.state === 'online', 'the device online');

    await gateLink.link.send(utf8.encode('over mosquitto'));
    await waitFor(() => service.uplinks.some((u) => u.deviceId === device.id), 'the uplink');
    expect(service.uplinks.filter((u) => u.deviceId === device.id)).toEqual([{ deviceId: device.id, payload: 'over mosquitto' }]);

    await service.link.publishDown(device.id, utf8.encode('and back'));
    await waitFor(() => gateLink.downlinks.length === 1, 'the downlink');
    expect(gateLink.downlinks).toEqual(['and back']);
  });
});
