// Proves network hierarchical storage end to end for every terminal kind, with the device runtime a simulator runs,
// over the real broker and database: periodic updates in several packets, forcible updates, backup then "writing
// disabled" then recovery, and a terminal that alters its own memory halted by mandatory expiration for good.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditRecordEntity, DeviceEntity, InspectionEventEntity } from '../../src/persistence/entities/index.js';
import type { DeviceKind } from '../../src/protocol/ids.js';
import { TestWorld, type AttachedDevice } from '../helpers/world.js';
import { waitFor } from '../helpers/wait-for.js';

const KINDS: readonly DeviceKind[] = ['mobile', 'gate', 'merchant', 'vending', 'phone-accounting'];
const BACKS_UP: readonly DeviceKind[] = ['mobile', 'merchant'];
const settings = { tickIntervalMs: 0, sessionTimeoutMs: 10_000, packetBytes: 4096 };

describe.each(KINDS)('data updating of a %s terminal', (kind) => {
  let world: TestWorld;
  let device: AttachedDevice;
  const id = () => device.credentials.deviceId;

  beforeAll(async () => {
    world = await TestWorld.create();
    device = kind === 'mobile' ? await world.user('uma', settings) : await world.merchantDevice(kind, `${kind}-1`, kind === 'phone-accounting' ? 'telco' : 'shop', settings);
  });
  afterAll(async () => world.close());

  const updateMessages = async (pg: string) => world.platform.dataSource.getRepository(InspectionEventEntity).countBy({ processGroup: pg, kind: 'message-out', type: 'updateData' });

  it('runs a periodic update whose update data and upload travel in several packets', async () => {
    for (let index = 0; index < 40; index += 1) await world.platform.mirror.putServiceData(id(), `item:${index}`, { value: randomBytes(900).toString('base64'), accessedAt: index });
    expect(await device.runtime.dataUpdate()).toBe('updated');
    expect(Object.keys(device.runtime.context.memory.serviceData)).toHaveLength(40);
    // The trace of a downlink is written once the broker has it, which may be just after the terminal has it.
    const packetsSent = await waitFor(async () => {
      const sessions = await world.platform.dataSource.getRepository(InspectionEventEntity).findBy({ kind: 'message-out', type: 'updateData' });
      const count = sessions[0] === undefined ? 0 : await updateMessages(sessions[0].processGroup);
      return count > 1 ? count : undefined;
    }, 'several update data packets in the trace');
    expect(packetsSent).toBeGreaterThan(1);
    expect(device.runtime.context.updateTimeRegister).toBeGreaterThan(Date.now());

    // A later update that uploads whole areas (forcible, option 4) also travels in several upload packets.
    const before = await world.platform.dataSource.getRepository(InspectionEventEntity).countBy({ kind: 'message-in', type: 'uploadData' });
    const [forced] = await world.platform.forcibleUpdate([id()], 4);
    await waitFor(async () => (await world.platform.actors.snapshotOf(forced as string))?.status === 'done', 'the forcible session');
    const uploads = (await world.platform.dataSource.getRepository(InspectionEventEntity).countBy({ kind: 'message-in', type: 'uploadData' })) - before;
    expect(uploads).toBeGreaterThan(1);
    expect((await world.platform.actors.snapshotOf(forced as string))?.stateValue).toBe('updated');
  });

  it('applies a forcible data update the service providing system starts (changed contract terms)', async () => {
    await world.platform.mirror.putServiceData(id(), 'contract', { value: { terms: 'v2', fee: 30 }, accessedAt: Date.now() });
    await world.platform.forcibleUpdate([id()], 2);
    await waitFor(() => device.runtime.context.memory.serviceData['contract'] !== undefined, 'the new contract terms on the terminal');
    expect(device.runtime.context.memory.serviceData['contract']?.value).toEqual({ terms: 'v2', fee: 30 });
  });

  it('opens one forcible session per terminal however often a keyed forcible update is asked for', async () => {
    const key = `modification-${kind}`;
    const first = await world.platform.forcibleUpdate([id()], 2, key);
    await waitFor(async () => (await world.platform.actors.snapshotOf(first[0] as string))?.status === 'done', 'the keyed forcible session');
    expect(await world.platform.forcibleUpdate([id()], 2, key)).toEqual(first);
    expect((await world.platform.actors.snapshotOf(first[0] as string))?.stateValue).toBe('updated');
    // The instruction that reached the ended director is dropped (traced), not retried for ever.
    await waitFor(async () => ((await world.platform.dataSource.getRepository(InspectionEventEntity).countBy({ processGroup: first[0] as string, type: 'actor-ended' })) > 0 ? true : undefined), 'the dropped instruction in the trace');
    await waitFor(async () => ((await world.platform.dispatcher.pendingCount()) === 0 ? true : undefined), 'an empty outbox');
  });

  if (BACKS_UP.includes(kind)) {
    it('backs up on low battery, is then writing disabled, and recovers with the battery and the next update', async () => {
      expect(await device.runtime.backup(10)).toBe('updated');
      expect(device.runtime.context.status.writingDisabled).toBe(true);
      expect(device.runtime.addRecord({ kind: 'test.note', id: 'n1', payload: {} })).toBe('refused');
      expect((await world.platform.mirror.mirror(id())).image.serviceData['contract']).toBeDefined();
      device.runtime.setBattery(90);
      expect(await device.runtime.dataUpdate()).toBe('updated');
      expect(device.runtime.context.status.writingDisabled).toBe(false);
    });
  } else {
    it('does not back up: the service providing system refuses a backup request from it', async () => {
      await expect(device.runtime.backup(10)).rejects.toThrow();
    });
  }

  it('halts the terminal when it alters a stored value, and it refuses everything afterwards', async () => {
    device.runtime.tamper((context) => {
      const item = context.memory.serviceData['contract'];
      if (item !== undefined) context.memory.serviceData['contract'] = { ...item, value: { terms: 'v2', fee: 0 } };
    });
    expect(await device.runtime.dataUpdate()).toBe('use-disabled');
    expect(device.runtime.context.status.useDisabled).toBe(true);
    expect((await world.platform.dataSource.getRepository(DeviceEntity).findOneByOrFail({ id: id() })).status).toBe('use-disabled');
    const alerts = await world.platform.dataSource.getRepository(AuditRecordEntity).findBy({ category: 'alert', principal: id() });
    expect(alerts.map((alert) => alert.reason)).toEqual(['mandatory-expiration']);
    expect((await world.platform.mirror.mirror(id())).image.serviceData['contract']?.value).toEqual({ terms: 'v2', fee: 30 });
    await expect(device.runtime.remoteAccess(`${world.platform.spId}/anything`)).rejects.toThrow();
    expect(await device.runtime.dataUpdate(2000)).toBe('use-disabled');
    expect(device.runtime.addRecord({ kind: 'test.note', id: 'n2', payload: {} })).toBe('refused');
  });
});

describe('a terminal that alters its list of entries', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await TestWorld.create();
  });
  afterAll(async () => world.close());

  it('is halted at its next whole-area update', async () => {
    const gate = await world.merchantDevice('gate', 'g-list', 'shop', settings);
    await world.platform.mirror.putServiceData(gate.credentials.deviceId, 'pass:1', { value: 'valid', accessedAt: 1 });
    expect(await gate.runtime.dataUpdate()).toBe('updated');
    gate.runtime.tamper((context) => {
      context.memory.serviceData['pass:2'] = { value: 'valid', accessedAt: 2 };
    });
    const [pg] = await world.platform.forcibleUpdate([gate.credentials.deviceId], 4);
    await waitFor(() => gate.runtime.context.status.useDisabled, 'use disabled');
    expect((await world.platform.actors.snapshotOf(pg as string))?.stateValue).toBe('expired');
    expect((await world.platform.mirror.list()).find((mirror) => mirror.deviceId === gate.credentials.deviceId)?.divergence).toMatch(/list altered/);
  });
});

describe('a terminal that is offline when the service providing system forces an update', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await TestWorld.create();
  });
  afterAll(async () => world.close());

  it('gets the instruction when it reconnects, and applies the update once', async () => {
    const credentials = await world.enrol.merchantDevice(await world.enrol.merchant('shop'), 'vending', 'v-away');
    const stateFile = `${world.dir}/v-away.json`;
    const first = await world.attach(credentials, { ...settings, stateFile });
    expect(await first.runtime.dataUpdate()).toBe('updated');
    await first.runtime.close();
    world.devices.splice(world.devices.indexOf(first), 1);
    await waitFor(() => !world.platform.onlineDevices.has(credentials.deviceId), 'the SP to see the terminal offline');

    await world.platform.mirror.putServiceData(credentials.deviceId, 'price:cola', { value: 150, accessedAt: Date.now() });
    const [pg] = await world.platform.forcibleUpdate([credentials.deviceId], 4);
    await world.platform.actors.idle();
    expect((await world.platform.actors.snapshotOf(pg as string))?.stateValue).toBe('awaitingUpload');
    expect(await world.platform.dispatcher.pendingCount()).toBeGreaterThan(0);

    const back = await world.attach(credentials, { ...settings, stateFile });
    await waitFor(() => back.runtime.context.memory.serviceData['price:cola'] !== undefined, 'the forced update after reconnecting');
    await waitFor(async () => (await world.platform.actors.snapshotOf(pg as string))?.stateValue === 'updated', 'the session done');
    expect(back.runtime.context.memory.serviceData['price:cola']?.value).toBe(150);
    // The last update packet's outbox row is marked sent once the broker has it, which may follow the terminal's apply.
    await waitFor(async () => (await world.platform.dispatcher.pendingCount()) === 0, 'nothing left in the outbox');
  });
});
