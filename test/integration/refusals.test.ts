// Proves that bad device input is refused with a typed reason, audited, and changes nothing: forged signature, wrong
// addressee, replay, stale issued time, malformed bytes, unknown type, a disabled device, another device's identity.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { connect } from 'mqtt';
import { REMOTE_ACCESS_MESSAGES, remoteAccessRequest, merchantRemoteAccessRequest } from '../../src/core/remote-access.messages.js';
import { AuditRecordEntity, ActorSnapshotEntity, InspectionEventEntity, OutboxEntity } from '../../src/persistence/entities/index.js';
import { MessageCodec } from '../../src/protocol/codec.js';
import { generatePrincipalKeys } from '../../src/protocol/crypto/crypto-backend.js';
import { NodeCryptoBackend } from '../../src/protocol/crypto/node-backend.js';
import { Envelope } from '../../src/protocol/envelope.js';
import { defineMessage } from '../../src/protocol/message.js';
import { MessageRegistry } from '../../src/protocol/message-registry.js';
import type { PrincipalId } from '../../src/protocol/ids.js';
import { makeConnectToken } from '../../src/transport/mqtt/connect-token.js';
import { TestWorld, type AttachedDevice } from '../helpers/world.js';
import { waitFor } from '../helpers/wait-for.js';

const teleport = defineMessage({ type: 'teleportRequest', ref: 'not in the spec', sealed: true, fields: z.object({ to: z.string() }).strict() });

describe('refusals at the device boundary', () => {
  let world: TestWorld;
  let alice: AttachedDevice;
  let gate: AttachedDevice;
  let codec: MessageCodec;
  let address: string;
  const crypto = new NodeCryptoBackend();

  beforeAll(async () => {
    world = await TestWorld.create();
    alice = await world.user('alice');
    gate = await world.merchantDevice('gate', 'gate-1');
    address = `${world.platform.spId}/doc.txt`;
    await world.platform.remoteData.put(address, 'text/plain', new TextEncoder().encode('doc'));
    codec = new MessageCodec(new Envelope(crypto), new MessageRegistry().register(...REMOTE_ACCESS_MESSAGES, teleport), world.clock, { maxSkewMs: 300_000, numberRetentionMs: 86_400_000 });
  });
  afterAll(async () => world.close());

  const sp = () => world.platform.identity.sp;
  const aliceSigner = () => ({ kid: alice.credentials.principal.id, secretKey: alice.credentials.principal.keys.signing.secretKey });
  const request = (overrides: { issuedAt?: number; to?: string } = {}, signer = aliceSigner()) =>
    codec.compose(
      remoteAccessRequest,
      { from: 'usr:alice', to: (overrides.to ?? sp().id) as PrincipalId, fields: { dataAddress: address, userId: 'usr:alice' }, ...(overrides.issuedAt === undefined ? {} : { issuedAt: overrides.issuedAt }) },
      [signer],
      sp().keys.sealing.publicKey,
    ).bytes;

  /** Row counts of everything a refused message must leave alone. */
  async function stateCounts() {
    const ds = world.platform.dataSource;
    await world.platform.inspection.flush();
    return {
      outbox: await ds.getRepository(OutboxEntity).count(),
      actors: await ds.getRepository(ActorSnapshotEntity).count(),
      messagesIn: await ds.getRepository(InspectionEventEntity).countBy({ kind: 'message-in' }),
      temporaryArea: Object.keys(alice.runtime.context.memory.temporaryArea).length,
    };
  }

  /** A 5700 remote access request signed by a merchant device. */
  const merchantRequest = (device: AttachedDevice) =>
    codec.compose(
      merchantRemoteAccessRequest,
      { from: device.credentials.deviceId as PrincipalId, to: sp().id, fields: { dataAddress: address, terminalId: device.credentials.deviceId as `dev:gate:${string}`, merchantId: 'mer:shop' } },
      [{ kid: device.credentials.deviceId, secretKey: device.credentials.principal.keys.signing.secretKey }],
      sp().keys.sealing.publicKey,
    ).bytes;

  let auditBefore = 0;
  beforeEach(async () => {
    auditBefore = await world.platform.dataSource.getRepository(AuditRecordEntity).count();
  });

  async function expectRefused(device: AttachedDevice, bytes: Uint8Array, reason: string): Promise<void> {
    const before = await stateCounts();
    await device.link.send(bytes);
    const record = await waitFor(async () => {
      const rows = await world.platform.dataSource.getRepository(AuditRecordEntity).find({ order: { seq: 'DESC' }, take: 1 });
      return rows[0] !== undefined && rows[0].seq > auditBefore ? rows[0] : undefined;
    }, `an audit record for ${reason}`);
    expect(record).toMatchObject({ category: 'refusal', reason, transport: device.credentials.deviceId });
    expect(await stateCounts()).toEqual(before);
    const refusals = await world.platform.dataSource.getRepository(InspectionEventEntity).find({ where: { kind: 'refusal' }, order: { seq: 'DESC' }, take: 1 });
    expect(refusals[0]?.detail).toMatchObject({ reason });
  }

  it('accepts a well-formed request (the control case)', async () => {
    const entry = await alice.runtime.remoteAccess(address);
    expect(entry.found).toBe(true);
  });

  it('refuses a forged signature (the user key of someone else)', async () => {
    const mallory = generatePrincipalKeys(crypto);
    await expectRefused(alice, request({}, { kid: 'usr:alice', secretKey: mallory.signing.secretKey }), 'bad-signature');
  });

  it('refuses a message addressed to another service provider', async () => {
    await expectRefused(alice, request({ to: 'sp:elsewhere' }), 'wrong-addressee');
  });

  it('refuses a replayed request', async () => {
    const bytes = request();
    const answered = (await stateCounts()).messagesIn;
    await alice.link.send(bytes);
    await waitFor(async () => (await stateCounts()).messagesIn > answered, 'the first copy answered');
    await world.platform.actors.idle();
    auditBefore = await world.platform.dataSource.getRepository(AuditRecordEntity).count();
    await expectRefused(alice, bytes, 'replay');
  });

  it('refuses a stale issued time', async () => {
    await expectRefused(alice, request({ issuedAt: world.clock.now() - 600_000 }), 'stale');
  });

  it('refuses malformed bytes', async () => {
    await expectRefused(alice, new Uint8Array([0xa1, 0x61, 0x74, 0xff, 0x00, 0x13]), 'malformed');
  });

  it('refuses an unknown message type', async () => {
    const bytes = codec.compose(teleport, { from: 'usr:alice', to: sp().id, fields: { to: 'moon' } }, [aliceSigner()], sp().keys.sealing.publicKey).bytes;
    await expectRefused(alice, bytes, 'unknown-type');
  });

  it("refuses a message signed by one device sent through another device's topic", async () => {
    await expectRefused(alice, merchantRequest(gate), 'sender-mismatch');
  });

  it('refuses everything from a disabled device', async () => {
    const till = await world.merchantDevice('merchant', 'till-9');
    await world.platform.identity.setDeviceStatus(till.credentials.deviceId as `dev:merchant:${string}`, 'disabled');
    await expectRefused(till, merchantRequest(till), 'disabled');
  });

  it("refuses at CONNECT a device using another device's ID (embedded broker)", async () => {
    if (!world.usesEmbeddedBroker) return; // an external broker authenticates devices its own way; the gateway checks above still apply
    const impostor = generatePrincipalKeys(crypto);
    const deviceId = alice.credentials.deviceId as `dev:mobile:${string}`;
    const client = connect(world.platform.mqttUrl, {
      clientId: deviceId,
      username: deviceId,
      password: Buffer.from(makeConnectToken(crypto, deviceId, impostor.signing.secretKey, world.clock.now())),
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    const outcome = await new Promise<string>((resolve) => {
      client.once('connect', () => resolve('connected'));
      client.once('error', (error) => resolve(error.message));
    });
    client.end(true);
    expect(outcome).not.toBe('connected');
    const record = await waitFor(async () => {
      const rows = await world.platform.dataSource.getRepository(AuditRecordEntity).find({ order: { seq: 'DESC' }, take: 1 });
      return rows[0] !== undefined && rows[0].seq > auditBefore ? rows[0] : undefined;
    }, 'an audit record of the refused CONNECT');
    expect(record.reason).toMatch(/^mqtt-connect:/);
    expect(record.transport).toBe(deviceId);
    // The real terminal is still attached and served.
    expect((await alice.runtime.remoteAccess(address)).found).toBe(true);
  });
});
