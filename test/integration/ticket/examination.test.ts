// Proves ticket examination [1635]-[1653] between a mobile user terminal and a gate, with the SP out of the loop: a
// single-entry ticket enters once, a coupon ticket is examined twice (3 -> 2 -> 1), a ticket the gate cannot examine
// gets transaction number 0, a forged gate is caught by the terminal, forged tickets, a replayed test pattern and a
// response that does not follow the instruction are caught by the gate; examination works with the SP's broker link
// and actors stopped; over the MQTT proximity relay the gate's `out/open` reaches an MQTT subscriber.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'mqtt';
import { fromBase64, toHex } from '../../../src/common/bytes.js';
import { systemClock } from '../../../src/common/clock.js';
import { MqttProximityLink } from '../../../src/devices/link/mqtt-proximity-link.js';
import type { ProximityLink } from '../../../src/devices/modules/proximity-link.js';
import { attachDevice } from '../../../src/devices/runtime/attach-device.js';
import type { Signer } from '../../../src/protocol/envelope.js';
import type { DeviceId } from '../../../src/protocol/ids.js';
import { NodeCryptoBackend } from '../../../src/protocol/crypto/node-backend.js';
import { EXAMINATION_SERVICE_CODE, ticketExamination, ticketExaminationResponse, ticketPresentation } from '../../../src/plugins/ticket/examination/examination.messages.js';
import type { ExaminationFields } from '../../../src/plugins/ticket/examination/examination-checks.js';
import { composeProximity, openProximity } from '../../../src/plugins/ticket/examination/proximity-frame.js';
import { gatePatternLabel, newTestPattern, openTestPattern, sealTestPattern, ticketPatternLabel } from '../../../src/plugins/ticket/examination/test-pattern.js';
import { ticketKid } from '../../../src/plugins/ticket/model/ticket-certificate.js';
import type { TicketManagementEntity } from '../../../src/plugins/ticket/persistence/index.js';
import type { GateEvent } from '../../../src/plugins/ticket/terminal/gate/gate-examiner.js';
import type { WalletTicket } from '../../../src/plugins/ticket/terminal/wallet/wallet-state.js';
import { TicketPlugin } from '../../../src/plugins/ticket/ticket.plugin.js';
import { startEmbeddedBroker } from '../../../src/transport/mqtt/embedded-broker.js';
import { outputTopic } from '../../../src/transport/mqtt/topics.js';
import { waitFor } from '../../helpers/wait-for.js';
import { TestWorld, type AttachedDevice } from '../../helpers/world.js';
import { enrolIssuer, gateOf, registeredTicket, setUpGate, ticketKind, walletOf, type Issuer } from './gate-fixtures.js';

const plugins = () => [TicketPlugin.init({})];

/** A device on the world's proximity link that the test drives by hand (a forged gate, a forged terminal). */
function handDevice(world: TestWorld, deviceId: DeviceId): { link: ProximityLink; frames: Uint8Array[]; next: () => Promise<Uint8Array> } {
  const link = world.proximity.link(deviceId);
  const frames: Uint8Array[] = [];
  link.onFrame((frame) => {
    frames.push(frame);
  });
  let taken = 0;
  return { link, frames, next: async () => waitFor(() => (frames.length > taken ? frames[taken++] : undefined), `a frame for ${deviceId}`) };
}

describe('ticket examination between a terminal and a gate', () => {
  let world: TestWorld;
  let issuer: Issuer;
  let single: TicketManagementEntity;
  let coupons: TicketManagementEntity;
  let elsewhere: TicketManagementEntity;
  let alice: AttachedDevice;
  let gate: AttachedDevice;
  const events: GateEvent[] = [];
  const gateId = () => gate.credentials.deviceId as DeviceId;

  beforeAll(async () => {
    world = await TestWorld.create({ plugins: plugins() });
    issuer = await enrolIssuer(world);
    single = await ticketKind(world, issuer, 'show-2030', 'admission.single-v1');
    coupons = await ticketKind(world, issuer, 'rides-2030', 'coupon.book-v1');
    elsewhere = await ticketKind(world, issuer, 'museum-2030', 'admission.single-v1');
    alice = await world.user('alice');
    gate = await world.merchantDevice('gate', 'arena-1', 'arena');
    gateOf(gate).onEvent((event) => events.push(event));
    await setUpGate(world, gate, single.ticketCode);
    await setUpGate(world, gate, coupons.ticketCode);
  });
  afterAll(async () => world.close());

  it('examines a single-entry ticket once, opens the gate, and refuses the second entry', async () => {
    const ticket = await registeredTicket(world, alice, issuer, single);
    const first = await walletOf(alice).presenting.present(ticket.ticketId, gateId());
    expect(first).toMatchObject({ outcome: 'examined', certificate: { ticketId: ticket.ticketId, ticketExaminationNumber: 1, gateId: gateId(), merchantId: 'mer:arena' } });
    const held = walletOf(alice).state.tickets.find((t) => t.ticketId === ticket.ticketId);
    expect(held?.status.use).toBe('entered');
    expect(held?.examinationNumber).toBe(1);
    expect(walletOf(alice).state.useList.filter((entry) => entry.ticketId === ticket.ticketId)).toHaveLength(1);
    expect(gateOf(gate).state.transactionList.filter((entry) => entry.ticketId === ticket.ticketId)).toHaveLength(1);
    expect(gate.runtime.context.memory.records.filter((record) => record.kind === 'ticket.examinationResponse')).toHaveLength(1);
    expect(events).toContainEqual(expect.objectContaining({ kind: 'examined', ticketId: ticket.ticketId, opened: true }));

    const second = await walletOf(alice).presenting.present(ticket.ticketId, gateId());
    expect(second).toEqual({ outcome: 'refused', responseMessage: 'ticket already entered' });
    expect(gateOf(gate).state.transactionList.filter((entry) => entry.ticketId === ticket.ticketId)).toHaveLength(1);
  });

  it('uses one coupon per examination of a coupon ticket: 3 -> 2 -> 1', async () => {
    const ticket = await registeredTicket(world, alice, issuer, coupons, { coupons: 3 });
    const first = await walletOf(alice).presenting.present(ticket.ticketId, gateId());
    expect(first.outcome === 'examined' && first.ticket.variable.couponsLeft).toBe(2);
    const second = await walletOf(alice).presenting.present(ticket.ticketId, gateId());
    expect(second.outcome === 'examined' && second.ticket.variable.couponsLeft).toBe(1);
    expect(second.outcome === 'examined' && second.certificate.ticketExaminationNumber).toBe(2);
    expect(walletOf(alice).state.tickets.find((t) => t.ticketId === ticket.ticketId)?.variable.couponsLeft).toBe(1);
  });

  it('answers transaction number 0 for a ticket it is not set up to examine', async () => {
    const ticket = await registeredTicket(world, alice, issuer, elsewhere);
    const outcome = await walletOf(alice).presenting.present(ticket.ticketId, gateId());
    expect(outcome).toEqual({ outcome: 'refused', responseMessage: `this gate does not examine ${elsewhere.ticketCode}` });
    expect(walletOf(alice).state.tickets.find((t) => t.ticketId === ticket.ticketId)?.status.use).toBe('unused');
  });

  it('lets the terminal detect a forged gate (no gate private key): the ticket is left unchanged', async () => {
    const ticket = await registeredTicket(world, alice, issuer, coupons, { coupons: 2 });
    const fakeId = 'dev:gate:fake-1' as DeviceId;
    const fake = handDevice(world, fakeId);
    const fakeKeys = world.platform.crypto.randomBytes(32);
    const presenting = walletOf(alice).presenting.present(ticket.ticketId, fakeId);
    const presentation = openProximity(world.platform.envelope, await fake.next(), [ticketPresentation], fakeId, Date.now(), 60_000);
    const fields = presentation.message.fields as { requestNumber: string; ticketId: string };
    await fake.link.send(alice.credentials.deviceId as DeviceId, composeProximity(world.platform.envelope, ticketExamination, {
      id: toHex(world.platform.crypto.randomBytes(16)),
      from: fakeId,
      to: alice.credentials.deviceId as DeviceId,
      issuedAt: Date.now(),
      fields: { transactionNumber: 7, responseMessage: null, requestNumber: fields.requestNumber, ticketId: fields.ticketId, instructionCode: 'use-coupon', gateTestPattern: newTestPattern(world.platform.envelope), ticketTestPattern: sealTestPattern(world.platform.envelope, newTestPattern(world.platform.envelope), ticketPatternLabel(coupons.ticketCode), fromBase64(coupons.ticketPublicKey)), gateId: fakeId, merchantId: 'mer:fake' },
    }, [{ kid: fakeId, secretKey: fakeKeys }]));
    expect(await presenting).toEqual({ outcome: 'gate-rejected', reason: 'the gate test pattern does not match: the gate is not genuine' });
    expect(walletOf(alice).state.tickets.find((t) => t.ticketId === ticket.ticketId)).toMatchObject({ variable: { couponsLeft: 2 }, examinationNumber: 0 });
    await fake.link.close();
  });

  describe('a forged terminal', () => {
    const malloryId = 'dev:mobile:mallory' as DeviceId;
    let mallory: ReturnType<typeof handDevice>;
    let stolen: WalletTicket;

    beforeAll(async () => {
      mallory = handDevice(world, malloryId);
      stolen = await registeredTicket(world, alice, issuer, coupons, { coupons: 5 });
    });
    afterAll(async () => mallory.link.close());

    const present = async (ticket: WalletTicket, signer: Signer, gatePattern = newTestPattern(world.platform.envelope)): Promise<{ bytes: Uint8Array; pattern: Uint8Array }> => {
      const bytes = composeProximity(world.platform.envelope, ticketPresentation, {
        id: toHex(world.platform.crypto.randomBytes(16)),
        from: malloryId,
        to: gateId() as DeviceId,
        issuedAt: Date.now(),
        fields: {
          serviceCode: EXAMINATION_SERVICE_CODE,
          requestNumber: toHex(world.platform.crypto.randomBytes(16)),
          presentationTicket: ticket.presentationTicket,
          ticketCertificate: ticket.certificate,
          ticketStatus: ticket.status,
          variableTicketInformation: ticket.variable,
          ticketId: ticket.ticketId,
          gateTestPattern: sealTestPattern(world.platform.envelope, gatePattern, gatePatternLabel(ticket.ticketCode), ticket.program.gateSealingPublicKey),
        },
      }, [signer]);
      await mallory.link.send(gateId() as DeviceId, bytes);
      return { bytes, pattern: gatePattern };
    };
    const examination = async (): Promise<ExaminationFields> => openProximity(world.platform.envelope, await mallory.next(), [ticketExamination], malloryId, Date.now(), 60_000).message.fields as ExaminationFields;

    it('is refused when its presentation is not signed by the ticket signature key of the certificate', async () => {
      await present(stolen, { kid: ticketKid(stolen.ticketId), secretKey: world.platform.crypto.randomBytes(32) });
      expect(await examination()).toMatchObject({ transactionNumber: 0, responseMessage: 'the ticket signature does not verify', gateTestPattern: null });
    });

    it('is refused when it cannot open the ticket test pattern (no ticket private key)', async () => {
      await present(stolen, { kid: ticketKid(stolen.ticketId), secretKey: stolen.signingSecretKey });
      const answer = await examination();
      expect(answer.transactionNumber).toBeGreaterThan(0);
      const before = gateOf(gate).state.transactionList.length;
      await mallory.link.send(gateId() as DeviceId, composeProximity(world.platform.envelope, ticketExaminationResponse, {
        id: toHex(world.platform.crypto.randomBytes(16)),
        from: malloryId,
        to: gateId() as DeviceId,
        issuedAt: Date.now(),
        fields: { ticketExaminationNumber: 1, ticketTestPattern: newTestPattern(world.platform.envelope), ticketStatus: stolen.status, variableTicketInformation: { couponsLeft: 4 }, gateId: gateId(), merchantId: 'mer:arena', requestNumber: answer.requestNumber, transactionNumber: answer.transactionNumber, ticketCode: stolen.ticketCode, ticketId: stolen.ticketId, userId: alice.credentials.principal.id },
      }, [{ kid: ticketKid(stolen.ticketId), secretKey: stolen.signingSecretKey }, { kid: alice.credentials.principal.id, secretKey: alice.credentials.principal.keys.signing.secretKey }]));
      await waitFor(() => events.find((event) => event.kind === 'refused' && event.stage === 'response' && event.reason.includes('ticket test pattern')), 'the gate refusing the response');
      expect(gateOf(gate).state.transactionList).toHaveLength(before);
    });

    it('is refused when its response does not change the coupons as the instruction says', async () => {
      await present(stolen, { kid: ticketKid(stolen.ticketId), secretKey: stolen.signingSecretKey });
      const answer = await examination();
      const pattern = openTestPattern(world.platform.envelope, answer.ticketTestPattern ?? new Uint8Array(), ticketPatternLabel(stolen.ticketCode), stolen.program.ticketSealingSecretKey);
      expect(pattern).toBeDefined();
      await mallory.link.send(gateId() as DeviceId, composeProximity(world.platform.envelope, ticketExaminationResponse, {
        id: toHex(world.platform.crypto.randomBytes(16)),
        from: malloryId,
        to: gateId() as DeviceId,
        issuedAt: Date.now(),
        fields: { ticketExaminationNumber: 1, ticketTestPattern: pattern as Uint8Array, ticketStatus: stolen.status, variableTicketInformation: { couponsLeft: 5 }, gateId: gateId(), merchantId: 'mer:arena', requestNumber: answer.requestNumber, transactionNumber: answer.transactionNumber, ticketCode: stolen.ticketCode, ticketId: stolen.ticketId, userId: alice.credentials.principal.id },
      }, [{ kid: ticketKid(stolen.ticketId), secretKey: stolen.signingSecretKey }, { kid: alice.credentials.principal.id, secretKey: alice.credentials.principal.keys.signing.secretKey }]));
      await waitFor(() => events.find((event) => event.kind === 'refused' && event.reason.includes('did not change as the instruction code says')), 'the gate refusing the unchanged coupons');
    });

    it('is refused when it replays a presentation (the same gate test pattern)', async () => {
      const { bytes } = await present(stolen, { kid: ticketKid(stolen.ticketId), secretKey: stolen.signingSecretKey });
      expect((await examination()).transactionNumber).toBeGreaterThan(0);
      await mallory.link.send(gateId() as DeviceId, bytes);
      expect(await examination()).toMatchObject({ transactionNumber: 0, responseMessage: 'replayed test pattern' });
    });
  });

  it('examines with the SP unreachable: its broker link and actor system stopped', async () => {
    const ticket = await registeredTicket(world, alice, issuer, coupons, { coupons: 3 });
    await world.platform.brokerLink.close();
    world.platform.actors.stop();
    const outcome = await walletOf(alice).presenting.present(ticket.ticketId, gateId());
    expect(outcome).toMatchObject({ outcome: 'examined', ticket: { variable: { couponsLeft: 2 } } });
  });
});

describe('ticket examination over the MQTT proximity relay, without the service providing system', () => {
  let world: TestWorld;
  const dir = mkdtempSync(join(tmpdir(), 'tessera-prox-'));

  beforeAll(async () => {
    world = await TestWorld.create({ plugins: plugins() });
  });
  afterAll(async () => {
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('relays the exchange between two device processes and publishes the gate opening on out/open', async () => {
    const issuer = await enrolIssuer(world);
    const kind = await ticketKind(world, issuer, 'ferry-2030', 'coupon.book-v1');
    // Set the gate up and give the user a ticket while both are attached to the SP (state files keep their memory).
    const gateFile = join(dir, 'gate.json');
    const phoneFile = join(dir, 'phone.json');
    const gate = await world.merchantDevice('gate', 'pier-1', 'ferries', { stateFile: gateFile });
    const phone = await world.user('bob', { stateFile: phoneFile });
    await setUpGate(world, gate, kind.ticketCode);
    const ticket = await registeredTicket(world, phone, issuer, kind, { coupons: 2 });
    await gate.runtime.close();
    await phone.runtime.close();

    // A broker of their own (a station's local broker): the SP is not involved at all.
    const service = { username: 'sp:local', password: 'local-secret' };
    const keys = new Map([gate, phone].map((device) => [device.credentials.deviceId, device.credentials.device.keys.signing.publicKey]));
    const crypto = new NodeCryptoBackend();
    const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, maxSkewMs: 60_000, clock: systemClock, crypto, lookupDevice: async (id) => { const key = keys.get(id); return key === undefined ? undefined : { signingPublicKey: key, enabled: true }; }, service, requireServiceSubscription: false });
    const turnstile = connect(broker.url, { clientId: 'turnstile', username: service.username, password: service.password, protocolVersion: 4 });
    const openings: string[] = [];
    try {
      await new Promise<void>((resolve, reject) => { turnstile.once('connect', () => resolve()); turnstile.once('error', reject); });
      turnstile.on('message', (_topic, payload) => openings.push(payload.toString('utf8')));
      await turnstile.subscribeAsync(outputTopic(gate.credentials.deviceId as DeviceId, 'open'), { qos: 1 });
      const attach = (device: AttachedDevice, stateFile: string) =>
        attachDevice(device.credentials, { crypto, clock: systemClock, maxSkewMs: 60_000, mqttUrl: broker.url, stateFile, modules: world.platform.plugins.flatMap((plugin) => plugin.descriptor.deviceModules ?? []), proximity: (link) => new MqttProximityLink(link, device.credentials.deviceId as DeviceId), tickIntervalMs: 0 });
      const gateProcess = await attach(gate, gateFile);
      const phoneProcess = await attach(phone, phoneFile);
      try {
        const wallet = phoneProcess.runtime.module<ReturnType<typeof walletOf>>('ticket.wallet');
        const outcome = await wallet.presenting.present(ticket.ticketId, gate.credentials.deviceId);
        expect(outcome).toMatchObject({ outcome: 'examined', ticket: { variable: { couponsLeft: 1 } } });
        const signal = await waitFor(() => openings[0], 'the opening signal on out/open');
        expect(JSON.parse(signal)).toMatchObject({ ticketId: ticket.ticketId, ticketCode: kind.ticketCode });
      } finally {
        await phoneProcess.runtime.close();
        await gateProcess.runtime.close();
      }
    } finally {
      await turnstile.endAsync();
      await broker.close();
    }
  });
});
