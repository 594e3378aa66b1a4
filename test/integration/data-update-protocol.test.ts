// Proves the SP side of network hierarchical storage message by message over the real broker and database: sessions
// with several packets both ways, reordered and duplicated packets, forcible updates, and every kind of tampering
// (altered value, altered list, forged record, replayed or dropped upload) ending in mandatory expiration or a clean
// retry, never in a silently accepted divergence.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fromPackets, toPackets } from '../../src/core/data-update/packets.js';
import { updateContent, type DataItem, type DeviceRecord, type UpdateContent, type UpdateOptionCode, type UploadContent } from '../../src/core/data-update/terminal-image.js';
import type { DataUpdateHook } from '../../src/core/data-update/data-update-hook.js';
import { AuditRecordEntity, DeviceEntity } from '../../src/persistence/entities/index.js';
import type { Message } from '../../src/protocol/message.js';
import { RawTerminal } from '../../src/devices/scripted/scripted-terminal.js';
import { waitFor } from '../helpers/wait-for.js';
import { TestWorld } from '../helpers/world.js';

interface Memory {
  version: string;
  serviceData: Record<string, DataItem>;
  userArea: Record<string, DataItem>;
  records: DeviceRecord[];
}

describe('data updating: the service providing system side', () => {
  let world: TestWorld;
  const terminals: RawTerminal[] = [];
  const accepted: string[] = [];

  // A service's hook: records of kind 'test.stamp' must carry the word 'genuine'; accepted ones land in the mirror.
  const stampHook: DataUpdateHook = {
    recordKinds: ['test.stamp'],
    async verifyRecord(record) {
      if ((record.payload as { seal?: string }).seal !== 'genuine') return { accepted: false, reason: 'seal does not verify' };
      accepted.push(record.id);
      return { accepted: true, changes: [{ area: 'serviceData', key: `stamp:${record.id}`, item: { value: record.payload, accessedAt: 1 } }] };
    },
    async contribute() {
      return [];
    },
  };

  beforeAll(async () => {
    world = await TestWorld.create({ config: { dataUpdate: { intervalMs: 3_600_000, uploadTimeoutMs: 800, forcibleTimeoutMs: 60_000, programVersion: '1.0.0', fullUploadEvery: 10, capacity: { mobile: 64, gate: 256, merchant: 1024, vending: 256, 'phone-accounting': 256 } } } });
    world.platform.mirror.addHooks(stampHook);
  });
  afterAll(async () => {
    for (const terminal of terminals) await terminal.close();
    await world.close();
  });

  async function gate(name: string): Promise<{ terminal: RawTerminal; memory: Memory }> {
    const merchant = (await world.platform.identity.signingKey('mer:shop', Date.now())).usable ? 'mer:shop' : await world.enrol.merchant('shop');
    const credentials = await world.enrol.merchantDevice(merchant as 'mer:shop', 'gate', name);
    const terminal = await RawTerminal.attach(credentials, world.platform.mqttUrl);
    terminals.push(terminal);
    return { terminal, memory: { version: '1.0.0', serviceData: {}, userArea: {}, records: [] } };
  }

  function upload(memory: Memory, optionCode: UpdateOptionCode): UploadContent {
    return {
      optionCode,
      basicProgram: { version: memory.version },
      serviceDataDigest: world.platform.mirror.digest(memory.serviceData),
      serviceData: optionCode >= 3 ? memory.serviceData : null,
      accessTimes: {},
      userArea: optionCode === 2 || optionCode >= 4 ? memory.userArea : null,
      records: memory.records,
      batteryLevel: 90,
    };
  }

  /** Starts a scheduled session; returns its process group and the option code the SP chose. */
  async function request(terminal: RawTerminal): Promise<{ pg: string; optionCode: UpdateOptionCode }> {
    const before = terminal.received.length;
    await terminal.send(terminal.compose('dataUpdateRequest', terminal.party));
    const response = await terminal.next('dataUpdateRequestResponse', before);
    return { pg: response.pg as string, optionCode: (response.fields as { updateOptionCode: UpdateOptionCode }).updateOptionCode };
  }

  function packets(terminal: RawTerminal, pg: string, content: UploadContent, packetBytes: number): Uint8Array[] {
    const parts = toPackets(content, packetBytes);
    return parts.map((part, index) => terminal.compose('uploadData', { packetNumber: index + 1, packetCount: parts.length, compressedData: part, ...terminal.party }, { pg }));
  }

  /** Waits for every update data packet of a session and decodes them. */
  async function updateOf(terminal: RawTerminal, pg: string): Promise<UpdateContent> {
    const all = await waitFor(() => {
      const mine = terminal.received.filter((message) => message.pg === pg && message.type === 'updateData');
      const count = (mine[0]?.fields as { packetCount?: number } | undefined)?.packetCount;
      return count !== undefined && mine.length >= count ? mine : undefined;
    }, `update data of ${pg}`);
    const ordered = [...all].sort((a, b) => (a.fields as { packetNumber: number }).packetNumber - (b.fields as { packetNumber: number }).packetNumber);
    return updateContent.parse(fromPackets(ordered.map((message) => (message.fields as { compressedData: Uint8Array }).compressedData)));
  }

  const apply = (memory: Memory, content: UpdateContent): void => {
    memory.version = content.basicProgram.version;
    memory.serviceData = content.serviceData;
    if (content.userArea !== null) memory.userArea = content.userArea;
    memory.records = memory.records.filter((record) => !content.acceptedRecords.includes(record.id));
  };

  const expiration = (terminal: RawTerminal, pg: string): Promise<Message> => waitFor(() => terminal.received.find((message) => message.pg === pg && message.type === 'mandatoryExpirationInstruction'), `expiration in ${pg}`);
  const deviceStatus = async (id: string) => (await world.platform.dataSource.getRepository(DeviceEntity).findOneByOrFail({ id })).status;

  it('runs a scheduled update with several packets both ways, then a "changes" update against the new mirror', async () => {
    const { terminal, memory } = await gate('g-ok');
    for (let index = 0; index < 40; index += 1) await world.platform.mirror.putServiceData(terminal.credentials.deviceId, `timetable:${index}`, { value: randomBytes(900).toString('base64'), accessedAt: index });
    const first = await request(terminal);
    expect(first.optionCode).toBe(2);
    const sent = packets(terminal, first.pg, upload(memory, first.optionCode), 64);
    expect(sent.length).toBeGreaterThan(1);
    for (const packet of sent) await terminal.send(packet);
    const content = await updateOf(terminal, first.pg);
    const updateMessages = terminal.received.filter((message) => message.pg === first.pg && message.type === 'updateData');
    expect(updateMessages.length).toBeGreaterThan(1);
    expect(Object.keys(content.serviceData)).toHaveLength(40);
    apply(memory, content);

    const second = await request(terminal);
    for (const packet of packets(terminal, second.pg, upload(memory, second.optionCode), 64)) await terminal.send(packet);
    expect(Object.keys((await updateOf(terminal, second.pg)).serviceData)).toHaveLength(40);
    expect(await deviceStatus(terminal.credentials.deviceId)).toBe('active');
    const director = await world.platform.actors.snapshotOf(second.pg);
    expect(director).toMatchObject({ status: 'done', stateValue: 'updated' });
  });

  it('reassembles packets sent out of order and ignores a duplicate', async () => {
    const { terminal, memory } = await gate('g-order');
    await world.platform.mirror.putServiceData(terminal.credentials.deviceId, 'fare', { value: 220, accessedAt: 1 });
    const { pg, optionCode } = await request(terminal);
    const sent = packets(terminal, pg, upload(memory, optionCode), 16);
    expect(sent.length).toBeGreaterThan(2);
    const [firstPacket, ...rest] = sent;
    for (const packet of [...rest.reverse(), firstPacket as Uint8Array]) await terminal.send(packet);
    const duplicate = terminal.compose('uploadData', { packetNumber: 1, packetCount: sent.length, compressedData: toPackets(upload(memory, optionCode), 16)[0] as Uint8Array, ...terminal.party }, { pg });
    await terminal.send(duplicate);
    const content = await updateOf(terminal, pg);
    expect(content.serviceData['fare']?.value).toBe(220);
    await world.platform.actors.idle();
    expect(terminal.received.filter((message) => message.pg === pg && message.type === 'updateData')).toHaveLength(1);
  });

  it('delivers a forcible data update instruction, and the range it names', async () => {
    const { terminal, memory } = await gate('g-forced');
    await world.platform.mirror.putServiceData(terminal.credentials.deviceId, 'contract', { value: 'terms v2', accessedAt: 5 });
    const [pg] = await world.platform.forcibleUpdate([terminal.credentials.deviceId], 4);
    const instruction = await terminal.next('dataUpdateInstruction');
    expect(instruction.pg).toBe(pg);
    expect(instruction.fields).toMatchObject({ updateOptionCode: 4 });
    for (const packet of packets(terminal, pg as string, upload(memory, 4), 1024)) await terminal.send(packet);
    expect((await updateOf(terminal, pg as string)).serviceData['contract']?.value).toBe('terms v2');
  });

  it.each([
    ['an altered value', (memory: Memory): void => void ((memory.serviceData['fare'] as DataItem).value = 1), 2],
    ['an altered list (an extra entry)', (memory: Memory): void => void (memory.serviceData['free-ride'] = { value: true, accessedAt: 9 }), 4],
    ['an altered list (a missing entry)', (memory: Memory): void => void delete memory.serviceData['fare'], 4],
    ['a forged record', (memory: Memory): void => void memory.records.push({ kind: 'test.stamp', id: 'forged-1', payload: { seal: 'copied' } }), 2],
    ['a record of a kind no service knows', (memory: Memory): void => void memory.records.push({ kind: 'test.unknown', id: 'x-1', payload: {} }), 2],
    ['another program version', (memory: Memory): void => void (memory.version = '9.9.9'), 2],
  ] as const satisfies readonly (readonly [string, (memory: Memory) => void, UpdateOptionCode])[])('halts a terminal that uploads %s: mandatory expiration, use disabled, audited, refused afterwards', async (_what, tamper, optionCode) => {
    const { terminal, memory } = await gate(`g-t-${randomBytes(3).toString('hex')}`);
    await world.platform.mirror.putServiceData(terminal.credentials.deviceId, 'fare', { value: 220, accessedAt: 1 });
    const first = await request(terminal);
    for (const packet of packets(terminal, first.pg, upload(memory, first.optionCode), 1024)) await terminal.send(packet);
    apply(memory, await updateOf(terminal, first.pg));

    tamper(memory);
    const [pg] = await world.platform.forcibleUpdate([terminal.credentials.deviceId], optionCode);
    await terminal.next('dataUpdateInstruction');
    for (const packet of packets(terminal, pg as string, upload(memory, optionCode), 1024)) await terminal.send(packet);
    await expiration(terminal, pg as string);
    expect(terminal.received.some((message) => message.pg === pg && message.type === 'updateData')).toBe(false);
    expect(await deviceStatus(terminal.credentials.deviceId)).toBe('use-disabled');
    const alerts = await world.platform.dataSource.getRepository(AuditRecordEntity).findBy({ category: 'alert', principal: terminal.credentials.deviceId });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.reason).toBe('mandatory-expiration');
    const mirror = await world.platform.mirror.mirror(terminal.credentials.deviceId);
    expect(typeof mirror.divergence).toBe('string');
    expect(mirror.divergence).not.toBe('');
    expect(mirror.image.serviceData['fare']?.value).toBe(220);

    const before = terminal.received.length;
    await terminal.send(terminal.compose('dataUpdateRequest', terminal.party));
    await waitFor(async () => (await world.platform.dataSource.getRepository(AuditRecordEntity).findBy({ category: 'refusal', transport: terminal.credentials.deviceId, reason: 'disabled' })).length > 0, 'the refusal');
    expect(terminal.received.length).toBe(before);
  });

  it('takes in a genuine record through the service hook and tells the terminal to drop it', async () => {
    const { terminal, memory } = await gate('g-record');
    memory.records.push({ kind: 'test.stamp', id: 'stamp-1', payload: { seal: 'genuine', at: 7 } });
    const { pg, optionCode } = await request(terminal);
    for (const packet of packets(terminal, pg, upload(memory, optionCode), 1024)) await terminal.send(packet);
    const content = await updateOf(terminal, pg);
    expect(content.acceptedRecords).toEqual(['stamp-1']);
    expect(content.serviceData['stamp:stamp-1']?.value).toEqual({ seal: 'genuine', at: 7 });
    expect(accepted).toContain('stamp-1');
  });

  it('refuses a replayed upload and an upload to a finished session, and changes nothing', async () => {
    const { terminal, memory } = await gate('g-replay');
    const { pg, optionCode } = await request(terminal);
    const sent = packets(terminal, pg, upload(memory, optionCode), 1024);
    for (const packet of sent) await terminal.send(packet);
    apply(memory, await updateOf(terminal, pg));
    const audit = world.platform.dataSource.getRepository(AuditRecordEntity);
    await terminal.send(sent[0] as Uint8Array);
    await waitFor(async () => (await audit.findBy({ transport: terminal.credentials.deviceId, reason: 'replay' })).length === 1, 'the replay refusal');
    await terminal.send(packets(terminal, pg, upload(memory, optionCode), 1024)[0] as Uint8Array);
    await waitFor(async () => (await audit.findBy({ transport: terminal.credentials.deviceId, reason: 'refused' })).length === 1, 'the finished-session refusal');
    expect(await deviceStatus(terminal.credentials.deviceId)).toBe('active');
    expect(terminal.received.filter((message) => message.pg === pg && message.type === 'updateData')).toHaveLength(1);
  });

  it('abandons a session whose upload lost a packet, and the terminal retries cleanly', async () => {
    const { terminal, memory } = await gate('g-drop');
    await world.platform.mirror.putServiceData(terminal.credentials.deviceId, 'fare', { value: 220, accessedAt: 1 });
    const lost = await request(terminal);
    const sent = packets(terminal, lost.pg, upload(memory, lost.optionCode), 16);
    for (const packet of sent.slice(1)) await terminal.send(packet);
    await waitFor(async () => (await world.platform.actors.fireDueDeadlines(Date.now())) >= 0 && (await world.platform.actors.snapshotOf(lost.pg))?.status === 'done', 'the session abandoned', 10_000);
    expect((await world.platform.actors.snapshotOf(lost.pg))?.stateValue).toBe('abandoned');
    expect(terminal.received.some((message) => message.pg === lost.pg && (message.type === 'updateData' || message.type === 'mandatoryExpirationInstruction'))).toBe(false);

    const retry = await request(terminal);
    for (const packet of packets(terminal, retry.pg, upload(memory, retry.optionCode), 16)) await terminal.send(packet);
    expect((await updateOf(terminal, retry.pg)).serviceData['fare']?.value).toBe(220);
    expect(await deviceStatus(terminal.credentials.deviceId)).toBe('active');
  });

  it('lists terminals with their last update and divergence for the operator', async () => {
    const mirrors = await world.platform.mirror.list();
    expect(mirrors.find((mirror) => mirror.deviceId === 'dev:gate:g-ok')).toMatchObject({ updates: 2, divergence: null });
    expect(mirrors.filter((mirror) => mirror.divergence !== null).length).toBeGreaterThanOrEqual(6);
  });
});
