// Proves the device runtime speaks the data updating protocol to a service providing system built from the real codec
// and keys, for every terminal kind: the request, the upload packets (their content per option code, digest
// included), update packets applied once in any order, backup, forcible update, expiration, abandonment, tampering
// and the state file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ManualClock } from '../../common/clock.js';
import { DATA_UPDATE_MESSAGES, dataUpdateInstruction, dataUpdateRequestResponse, mandatoryExpirationInstruction, updateData } from '../../core/data-update/data-update.messages.js';
import { fromPackets, toPackets } from '../../core/data-update/packets.js';
import { serviceDataDigest, uploadContent, type DataItem, type UpdateContent, type UpdateOptionCode, type UploadContent } from '../../core/data-update/terminal-image.js';
import { REMOTE_ACCESS_MESSAGES } from '../../core/remote-access.messages.js';
import { encodeCanonical } from '../../protocol/cbor.js';
import { MessageCodec } from '../../protocol/codec.js';
import { generatePrincipalKeys, type PrincipalKeys } from '../../protocol/crypto/crypto-backend.js';
import { NodeCryptoBackend } from '../../protocol/crypto/node-backend.js';
import { Envelope } from '../../protocol/envelope.js';
import type { ProtocolError } from '../../protocol/errors.js';
import type { DeviceKind, PrincipalId } from '../../protocol/ids.js';
import { MessageRegistry } from '../../protocol/message-registry.js';
import type { Message, MessageDefinition } from '../../protocol/message.js';
import type { DeviceCredentials } from '../credentials.js';
import type { DeliveryOutcome, DeviceTransport, DownlinkHandler, SendReceipt } from '../link/device-transport.js';
import { DeviceRuntime } from './device-runtime.js';
import { readStateFile } from './terminal-state-file.js';

const crypto = new NodeCryptoBackend();
const T0 = Date.UTC(2026, 0, 1);
const SP_ID = 'sp:tessera' as const;

/** The device's side of a link that is just two arrays: what it sent, and a hand to deliver downlinks. */
class MemoryTransport implements DeviceTransport {
  readonly sent: Uint8Array[] = [];
  private handler: DownlinkHandler | undefined;
  onDownlink(handler: DownlinkHandler): void {
    this.handler = handler;
  }
  async send(payload: Uint8Array): Promise<SendReceipt> {
    this.sent.push(payload);
    return { id: String(this.sent.length), delivery: Promise.resolve<DeliveryOutcome>('acknowledged') };
  }
  async publishOutput(): Promise<void> {}
  async close(): Promise<void> {}
  async deliver(payload: Uint8Array): Promise<void> {
    await this.handler?.(payload);
  }
}

/** A service providing system that knows one terminal: opens its uplinks, composes signed, sealed downlinks. */
class FakeServiceProvider {
  readonly keys = generatePrincipalKeys(crypto);
  private readonly codec: MessageCodec;
  private readonly seen = new Set<string>();
  constructor(
    clock: ManualClock,
    private readonly terminal: { id: string; keys: PrincipalKeys },
  ) {
    this.codec = new MessageCodec(new Envelope(crypto), new MessageRegistry().register(...REMOTE_ACCESS_MESSAGES, ...DATA_UPDATE_MESSAGES), clock, { maxSkewMs: 300_000, numberRetentionMs: 86_400_000 });
  }
  async open(bytes: Uint8Array): Promise<Message> {
    const sealing = this.keys.sealing;
    const { message } = await this.codec.receive(
      bytes,
      { id: SP_ID, sealingSecretKey: sealing.secretKey, sealingPublicKey: sealing.publicKey },
      { signingKey: (kid) => (kid === this.terminal.id ? { usable: true, publicKey: this.terminal.keys.signing.publicKey, holder: kid } : { usable: false, reason: 'unknown-principal' }) },
      { remember: (scope, key) => !this.seen.has(`${scope}/${key}`) && Boolean(this.seen.add(`${scope}/${key}`)) },
    );
    return message;
  }
  compose(definition: MessageDefinition, fields: Record<string, unknown>, header: { pg?: string; re?: string } = {}): Uint8Array {
    return this.codec.compose(definition, { ...header, from: SP_ID, to: this.terminal.id as PrincipalId, fields }, [{ kid: SP_ID, secretKey: this.keys.signing.secretKey }], this.terminal.keys.sealing.publicKey).bytes;
  }
  updatePackets(pg: string, content: UpdateContent, packetBytes: number): Uint8Array[] {
    const parts = toPackets(content, packetBytes);
    return parts.map((compressedData, index) => this.compose(updateData, { packetNumber: index + 1, packetCount: parts.length, compressedData, serviceProviderId: SP_ID }, { pg }));
  }
}

const digestOf = (serviceData: Record<string, DataItem>) => serviceDataDigest(serviceData, (data) => crypto.sha256(data), encodeCanonical);
const timetable = (count: number): Record<string, DataItem> => Object.fromEntries(Array.from({ length: count }, (_, index) => [`timetable:${index}`, { value: `${index}:${'departure '.repeat(8)}${index * 7919}`, accessedAt: T0 + index }]));
const content = (over: Partial<UpdateContent> = {}): UpdateContent => ({ basicProgram: { version: '1.1.0' }, serviceData: timetable(30), userArea: null, acceptedRecords: [], updateTimeRegister: T0 + 86_400_000, ...over });

/** Lets the runtime's pending promises (composing, sending, decoding) run. */
async function settle(rounds = 20): Promise<void> {
  for (let round = 0; round < rounds; round += 1) await new Promise((resolve) => setImmediate(resolve));
}

function credentialsFor(kind: DeviceKind): DeviceCredentials & { sp: { id: string } } {
  const deviceId = `dev:${kind}:t1`;
  const device = { id: deviceId, keys: generatePrincipalKeys(crypto) };
  const principal = kind === 'mobile' ? { id: 'usr:alice', keys: generatePrincipalKeys(crypto) } : device;
  const merchantId = kind === 'mobile' ? null : kind === 'phone-accounting' ? 'csp:telco' : 'mer:shop';
  return { deviceId, device, principal, merchantId, sp: { id: SP_ID, signingPublicKey: new Uint8Array(), sealingPublicKey: new Uint8Array() }, mqttUrl: 'mqtt://unused' };
}

describe.each<[DeviceKind, boolean]>([
  ['mobile', true],
  ['gate', false],
  ['merchant', true],
  ['vending', false],
  ['phone-accounting', false],
])('device runtime of a %s terminal', (kind, backsUp) => {
  let dir: string;
  let clock: ManualClock;
  let transport: MemoryTransport;
  let sp: FakeServiceProvider;
  let credentials: DeviceCredentials;
  let refusals: ProtocolError[];
  let sut: DeviceRuntime;
  let uploadPackets = 0;
  const party = kind === 'mobile' ? { userId: 'usr:alice' } : { terminalId: `dev:${kind}:t1`, merchantId: kind === 'phone-accounting' ? 'csp:telco' : 'mer:shop' };

  const startRuntime = (): DeviceRuntime => {
    const runtime = new DeviceRuntime(credentials, transport, { clock, crypto, maxSkewMs: 300_000, stateFile: join(dir, 'terminal.json'), tickIntervalMs: 0, packetBytes: 96, onRefusal: (error) => refusals.push(error) });
    runtime.start();
    return runtime;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-device-'));
    clock = new ManualClock(T0);
    transport = new MemoryTransport();
    refusals = [];
    const base = credentialsFor(kind);
    sp = new FakeServiceProvider(clock, base.principal);
    credentials = { ...base, sp: { id: SP_ID, signingPublicKey: sp.keys.signing.publicKey, sealingPublicKey: sp.keys.sealing.publicKey } };
    sut = startRuntime();
  });
  afterEach(async () => {
    await sut.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Everything the terminal sent since the last call, opened by the SP. */
  const uplinks = async (): Promise<Message[]> => {
    await settle();
    return Promise.all(transport.sent.splice(0).map((bytes) => sp.open(bytes)));
  };

  /** Answers the request just sent, collects the upload and decodes it. */
  async function answerRequest(optionCode: UpdateOptionCode, pg: string, requestType = 'dataUpdateRequest'): Promise<UploadContent> {
    const [request] = await uplinks();
    expect(request).toMatchObject({ type: requestType, from: credentials.principal.id, to: SP_ID, fields: party });
    expect(request?.pg).toBeUndefined();
    await transport.deliver(sp.compose(dataUpdateRequestResponse, { updateOptionCode: optionCode, serviceProviderId: SP_ID }, { pg, re: request?.id as string }));
    return collectUpload(pg);
  }

  async function collectUpload(pg: string): Promise<UploadContent> {
    const packets = await uplinks();
    uploadPackets = packets.length;
    expect(packets.every((packet) => packet.type === 'uploadData' && packet.pg === pg)).toBe(true);
    const fields = packets.map((packet) => packet.fields as { packetNumber: number; packetCount: number; compressedData: Uint8Array });
    expect(fields.map((field) => field.packetNumber)).toEqual(fields.map((_, index) => index + 1));
    expect(fields.every((field) => field.packetCount === packets.length)).toBe(true);
    expect(packets[0]?.fields).toMatchObject(party);
    expect(sut.state).toBe('awaitingUpdateData');
    return uploadContent.parse(fromPackets(fields.map((field) => field.compressedData)));
  }

  it('requests, uploads in packets, and applies update packets that arrive out of order with a duplicate, once', async () => {
    const outcome = sut.dataUpdate();
    const upload = await answerRequest(3, 'txn:data-update:one');
    expect(upload).toEqual({ optionCode: 3, basicProgram: { version: '1.0.0' }, serviceDataDigest: digestOf({}), serviceData: {}, accessTimes: {}, userArea: null, records: [], batteryLevel: 100 });

    const update = content({ userArea: { nick: { value: 'al', accessedAt: T0 } }, acceptedRecords: [] });
    const packets = sp.updatePackets('txn:data-update:one', update, 48);
    expect(packets.length).toBeGreaterThan(2);
    const [first, ...rest] = packets as [Uint8Array, ...Uint8Array[]];
    const resent = sp.updatePackets('txn:data-update:one', update, 48)[packets.length - 1] as Uint8Array;
    await transport.deliver(rest.at(-1) as Uint8Array);
    await transport.deliver(rest.at(-1) as Uint8Array);
    await transport.deliver(resent);
    for (const packet of rest.slice(0, -1).reverse()) await transport.deliver(packet);
    expect(sut.state).toBe('awaitingUpdateData');
    await transport.deliver(first);
    await expect(outcome).resolves.toBe('updated');
    expect(refusals.map((refusal) => refusal.reason)).toEqual(['replay']);

    expect(sut.context.memory.serviceData).toEqual(update.serviceData);
    expect(sut.context.memory.userArea).toEqual(update.userArea);
    expect(sut.context.memory.basicProgram).toEqual({ version: '1.1.0' });
    expect(sut.context.updateTimeRegister).toBe(update.updateTimeRegister);
    expect(sut.state).toBe('ready');
    await transport.deliver(sp.updatePackets('txn:data-update:one', content({ serviceData: {} }), 4096)[0] as Uint8Array);
    expect(refusals).toHaveLength(1);
    await transport.deliver(sp.updatePackets('txn:data-update:other', content({ serviceData: {} }), 4096)[0] as Uint8Array);
    expect(sut.context.memory.serviceData).toEqual(update.serviceData);
    expect(refusals.at(-1)?.reason).toBe('refused');
  });

  it('uploads what each update option code designates ([1490], [1507]), digest of the service data included', async () => {
    const seeded = sut.dataUpdate();
    await answerRequest(1, 'txn:data-update:seed');
    const update = content({ userArea: { nick: { value: 'al', accessedAt: T0 } } });
    for (const packet of sp.updatePackets('txn:data-update:seed', update, 4096)) await transport.deliver(packet);
    await seeded;
    expect(sut.addRecord({ kind: 'examinationResponse', id: 'r1', payload: { gate: 'g1' } })).toBe('stored');

    for (const optionCode of [1, 2, 3, 4, 5] as const) {
      sut.send({ type: 'serviceData.access', key: 'timetable:3', at: T0 + 1000 + optionCode });
      const outcome = sut.dataUpdate();
      const upload = await answerRequest(optionCode, `txn:data-update:c${optionCode}`);
      const held = sut.context.memory;
      expect(upload).toEqual({
        optionCode,
        basicProgram: { version: '1.1.0' },
        serviceDataDigest: digestOf(held.serviceData),
        serviceData: optionCode >= 3 ? held.serviceData : null,
        accessTimes: { 'timetable:3': T0 + 1000 + optionCode },
        userArea: optionCode === 2 || optionCode >= 4 ? held.userArea : null,
        records: [{ kind: 'examinationResponse', id: 'r1', payload: { gate: 'g1' } }],
        batteryLevel: 100,
      });
      expect(upload.serviceDataDigest).toBe(digestOf(update.serviceData));
      if (optionCode >= 3) expect(uploadPackets).toBeGreaterThan(1);
      for (const packet of sp.updatePackets(`txn:data-update:c${optionCode}`, content({ acceptedRecords: optionCode === 5 ? ['r1'] : [] }), 4096)) await transport.deliver(packet);
      await expect(outcome).resolves.toBe('updated');
      expect(sut.context.changedAccessTimes).toEqual({});
    }
    expect(sut.context.memory.records).toEqual([]);
  });

  it('runs a forcible data update, and after a mandatory expiration refuses everything and sends nothing', async () => {
    await transport.deliver(sp.compose(dataUpdateInstruction, { updateOptionCode: 4, serviceProviderId: SP_ID }, { pg: 'txn:forcible:f1' }));
    const upload = await collectUpload('txn:forcible:f1');
    expect(upload).toMatchObject({ optionCode: 4, serviceData: {}, userArea: {} });

    await transport.deliver(sp.compose(mandatoryExpirationInstruction, { serviceProviderId: SP_ID }, { pg: 'txn:forcible:f1' }));
    expect(sut.state).toBe('useDisabled');
    expect(sut.context.status).toEqual({ useDisabled: true, writingDisabled: false });
    await expect(sut.dataUpdate()).resolves.toBe('use-disabled');
    await expect(sut.remoteAccess('sp:tessera/doc.txt')).rejects.toThrow('use disabled');
    clock.advance(10 * 86_400_000);
    sut.tick();
    await transport.deliver(sp.compose(dataUpdateInstruction, { updateOptionCode: 1, serviceProviderId: SP_ID }, { pg: 'txn:forcible:f2' }));
    expect(sut.addRecord({ kind: 'k', id: 'r1', payload: null })).toBe('refused');
    expect(await uplinks()).toEqual([]);
    expect(readStateFile(join(dir, 'terminal.json'))?.context.status.useDisabled).toBe(true);
  });

  it('abandons a session the SP leaves unanswered after the upload, and retries at the next tick', async () => {
    const outcome = sut.dataUpdate(2000);
    await answerRequest(2, 'txn:data-update:silent');
    clock.advance(1999);
    sut.tick();
    expect(sut.state).toBe('awaitingUpdateData');
    clock.advance(1);
    sut.tick();
    await expect(outcome).resolves.toBe('abandoned');
    sut.tick();
    const [retry] = await uplinks();
    expect(retry).toMatchObject({ type: 'dataUpdateRequest', fields: party });
  });

  it('keeps its session in the state file: a restarted terminal sees the deadline fire', async () => {
    void sut.dataUpdate(5000);
    await answerRequest(1, 'txn:data-update:restart');
    await sut.close();
    sut = startRuntime();
    expect(sut.state).toBe('awaitingUpdateData');
    clock.advance(5000);
    sut.tick();
    expect(sut.context.lastSession).toMatchObject({ pg: 'txn:data-update:restart', outcome: 'abandoned' });
  });

  it('lets a hacked device edit its memory: the next upload shows it, and the state file keeps it', async () => {
    const seeded = sut.dataUpdate();
    await answerRequest(1, 'txn:data-update:before');
    for (const packet of sp.updatePackets('txn:data-update:before', content(), 4096)) await transport.deliver(packet);
    await seeded;
    const genuine = sut.persistedSnapshot().context.memory;

    sut.tamper((context) => {
      (context.memory.serviceData['timetable:0'] as DataItem).value = 'free rides';
      context.memory.serviceData['bonus'] = { value: 1000, accessedAt: T0 };
      context.memory.records.push({ kind: 'microCheck', id: 'forged', payload: { amount: 1 } });
    });
    expect(readStateFile(join(dir, 'terminal.json'))?.context.memory.serviceData['bonus']).toEqual({ value: 1000, accessedAt: T0 });
    const outcome = sut.dataUpdate();
    const upload = await answerRequest(1, 'txn:data-update:after');
    expect(upload.serviceDataDigest).not.toBe(digestOf(content().serviceData));
    expect(upload.records.map((record) => record.id)).toEqual(['forged']);
    await transport.deliver(sp.compose(mandatoryExpirationInstruction, { serviceProviderId: SP_ID }, { pg: 'txn:data-update:after' }));
    await expect(outcome).resolves.toBe('use-disabled');

    sut.tamper((context) => {
      context.memory = structuredClone(genuine) as typeof context.memory;
    });
    expect(sut.context.memory.serviceData).toEqual(content().serviceData);
    expect(sut.state).toBe('useDisabled');
  });

  if (backsUp) {
    it('backs up at low battery, is writing disabled, and writes again after the battery recovers and an update succeeds', async () => {
      const outcome = sut.backup(15, 3000);
      const upload = await answerRequest(4, 'txn:backup:b1', 'dataBackupRequest');
      expect(upload.batteryLevel).toBe(15);
      for (const packet of sp.updatePackets('txn:backup:b1', content(), 4096)) await transport.deliver(packet);
      await expect(outcome).resolves.toBe('updated');
      expect(sut.context.status).toEqual({ useDisabled: false, writingDisabled: true });
      expect(sut.addRecord({ kind: 'k', id: 'r1', payload: null })).toBe('refused');

      sut.setBattery(60);
      await answerRequest(1, 'txn:data-update:recovered');
      for (const packet of sp.updatePackets('txn:data-update:recovered', content(), 4096)) await transport.deliver(packet);
      expect(sut.context.status.writingDisabled).toBe(false);
      expect(sut.addRecord({ kind: 'k', id: 'r1', payload: null })).toBe('stored');
    });
  } else {
    it('never backs up', async () => {
      await expect(sut.backup(10)).rejects.toThrow('never backs up');
      sut.setBattery(10);
      expect(await uplinks()).toEqual([]);
    });
  }
});
