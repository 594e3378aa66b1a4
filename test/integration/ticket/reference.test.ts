// Proves ticket reference [1654]-[1663] over the real broker and database: the gate's examination
// responses travel in its data update and are verified (IDs, registered ticket, user and ticket signatures, examination
// number against the status changes); the results come back into the gate's authorization report list 2511; a copied
// ticket at a second gate, an altered coupon count and a response with a forged user signature raise alerts; a
// response taken in twice is recognised; a record naming another gate halts the uploading gate. Usage reports 7100
// are proved against the reference ticket issuing system in usage-report.test.ts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { toHex } from '../../../src/common/bytes.js';
import type { DeviceId } from '../../../src/protocol/ids.js';
import { EXAMINATION_SERVICE_CODE, ticketExamination, ticketExaminationResponse, ticketPresentation } from '../../../src/plugins/ticket/examination/examination.messages.js';
import type { ExaminationFields } from '../../../src/plugins/ticket/examination/examination-checks.js';
import { composeProximity, openProximity } from '../../../src/plugins/ticket/examination/proximity-frame.js';
import { gatePatternLabel, newTestPattern, openTestPattern, sealTestPattern, ticketPatternLabel } from '../../../src/plugins/ticket/examination/test-pattern.js';
import { ticketKid } from '../../../src/plugins/ticket/model/ticket-certificate.js';
import { RegisteredTicketEntity, TicketExaminationResponseEntity, type TicketManagementEntity } from '../../../src/plugins/ticket/persistence/index.js';
import { TicketPlugin } from '../../../src/plugins/ticket/ticket.plugin.js';
import { waitFor } from '../../helpers/wait-for.js';
import { TestWorld, type AttachedDevice } from '../../helpers/world.js';
import { gateOf, registeredTicket, setUpGate, enrolIssuer, ticketKind, walletOf, type Issuer } from './gate-fixtures.js';

describe('ticket reference at data updates, and usage reports', () => {
  let world: TestWorld;
  let issuer: Issuer;
  let coupons: TicketManagementEntity;
  let single: TicketManagementEntity;
  let alice: AttachedDevice;
  let north: AttachedDevice;
  let south: AttachedDevice;

  const registered = (ticketId: string) => world.platform.dataSource.getRepository(RegisteredTicketEntity).findOneByOrFail({ ticketId });
  const alerts = async () => (await world.platform.audit.list(200, 'alert')).filter((row) => row.reason === 'ticket-reference');
  const examine = async (ticketId: string, gate: AttachedDevice) => {
    const outcome = await walletOf(alice).presenting.present(ticketId, gate.credentials.deviceId);
    if (outcome.outcome !== 'examined') throw new Error(`not examined: ${JSON.stringify(outcome)}`);
    return outcome;
  };

  beforeAll(async () => {
    world = await TestWorld.create({ plugins: [TicketPlugin.init({})] });
    issuer = await enrolIssuer(world, 'funfair');
    coupons = await ticketKind(world, issuer, 'rides-2030', 'coupon.book-v1');
    single = await ticketKind(world, issuer, 'show-2030', 'admission.single-v1');
    alice = await world.user('alice');
    north = await world.merchantDevice('gate', 'north', 'funfair');
    south = await world.merchantDevice('gate', 'south', 'funfair');
    for (const gate of [north, south]) for (const kind of [coupons, single]) await setUpGate(world, gate, kind.ticketCode);
  });
  afterAll(async () => world.close());

  it('verifies the uploaded examination responses and reports them back into the authorization report list', async () => {
    const ticket = await registeredTicket(world, alice, issuer, coupons, { coupons: 3 });
    const first = await examine(ticket.ticketId, north);
    const second = await examine(ticket.ticketId, north);
    expect(await north.runtime.dataUpdate()).toBe('updated');
    expect(await registered(ticket.ticketId)).toMatchObject({ examinationNumber: 2, variable: { couponsLeft: 1 } });
    const rows = await world.platform.dataSource.getRepository(TicketExaminationResponseEntity).findBy({ ticketId: ticket.ticketId });
    expect(rows.map((row) => [row.examinationNumber, row.result])).toEqual(expect.arrayContaining([[1, 'accepted'], [2, 'accepted']]));
    const reports = gateOf(north).authorizationReports();
    expect(reports).toEqual(expect.arrayContaining([
      expect.objectContaining({ transactionNumber: first.certificate.transactionNumber, result: 'accepted', ticketExaminationNumber: 1 }),
      expect.objectContaining({ transactionNumber: second.certificate.transactionNumber, result: 'accepted', ticketExaminationNumber: 2 }),
    ]));
    expect(north.runtime.context.memory.records).toEqual([]);
  });

  it('recognises a response it already took in when the gate uploads it again', async () => {
    const ticket = await registeredTicket(world, alice, issuer, coupons, { coupons: 2 });
    await examine(ticket.ticketId, north);
    const [record] = north.runtime.context.memory.records;
    expect(await north.runtime.dataUpdate()).toBe('updated');
    north.runtime.tamper((context) => {
      if (record !== undefined) context.memory.records.push({ ...record, id: `${record.id}-again` });
    });
    expect(await north.runtime.dataUpdate()).toBe('updated');
    expect(await world.platform.dataSource.getRepository(TicketExaminationResponseEntity).countBy({ ticketId: ticket.ticketId })).toBe(1);
    expect(await registered(ticket.ticketId)).toMatchObject({ examinationNumber: 1, variable: { couponsLeft: 1 } });
  });

  it('raises an alert for a copied ticket presented at a second gate', async () => {
    const ticket = await registeredTicket(world, alice, issuer, single);
    const copy = structuredClone(walletOf(alice).state.tickets.find((held) => held.ticketId === ticket.ticketId));
    await examine(ticket.ticketId, north);
    // The copy (the wallet as it was before the first entry) enters at the other gate, offline.
    walletOf(alice).context.store.update((state) => ({ ...state, tickets: state.tickets.map((held) => (held.ticketId === ticket.ticketId && copy !== undefined ? copy : held)) }));
    const copied = await examine(ticket.ticketId, south);
    expect(await north.runtime.dataUpdate()).toBe('updated');
    expect(await south.runtime.dataUpdate()).toBe('updated');
    expect(south.runtime.context.status.useDisabled).toBe(false);
    const report = gateOf(south).authorizationReports().find((entry) => entry.transactionNumber === copied.certificate.transactionNumber);
    expect(report).toMatchObject({ result: 'refused', reason: expect.stringContaining('copied ticket') });
    expect((await alerts()).some((row) => row.message.includes(ticket.ticketId) && row.message.includes('copied ticket'))).toBe(true);
    expect(await registered(ticket.ticketId)).toMatchObject({ examinationNumber: 1, status: { use: 'entered' } });
  });

  it('raises an alert for a coupon count the terminal altered', async () => {
    const ticket = await registeredTicket(world, alice, issuer, coupons, { coupons: 3 });
    walletOf(alice).context.store.update((state) => ({ ...state, tickets: state.tickets.map((held) => (held.ticketId === ticket.ticketId ? { ...held, variable: { couponsLeft: 9 } } : held)) }));
    const outcome = await examine(ticket.ticketId, north);
    expect(await north.runtime.dataUpdate()).toBe('updated');
    expect(gateOf(north).authorizationReports().find((entry) => entry.transactionNumber === outcome.certificate.transactionNumber)).toMatchObject({ result: 'refused', reason: expect.stringContaining('does not match') });
    expect((await alerts()).some((row) => row.message.includes(ticket.ticketId))).toBe(true);
    expect(await registered(ticket.ticketId)).toMatchObject({ examinationNumber: 0, variable: { couponsLeft: 3 } });
  });

  it('refuses a response whose user signature is forged (the gate cannot check it; the SP does)', async () => {
    const ticket = await registeredTicket(world, alice, issuer, coupons, { coupons: 3 });
    const malloryId = 'dev:mobile:mallory' as DeviceId;
    const link = world.proximity.link(malloryId);
    const frames: Uint8Array[] = [];
    link.onFrame((frame) => {
      frames.push(frame);
    });
    const gateId = north.credentials.deviceId as DeviceId;
    const envelope = world.platform.envelope;
    const compose = (definition: Parameters<typeof composeProximity>[1], fields: unknown, signers: Parameters<typeof composeProximity>[3]) =>
      composeProximity(envelope, definition, { id: toHex(world.platform.crypto.randomBytes(16)), from: malloryId, to: gateId, issuedAt: Date.now(), fields }, signers);
    const ticketSigner = { kid: ticketKid(ticket.ticketId), secretKey: ticket.signingSecretKey };
    await link.send(gateId, compose(ticketPresentation, { serviceCode: EXAMINATION_SERVICE_CODE, requestNumber: toHex(world.platform.crypto.randomBytes(16)), presentationTicket: ticket.presentationTicket, ticketCertificate: ticket.certificate, ticketStatus: ticket.status, variableTicketInformation: ticket.variable, ticketId: ticket.ticketId, gateTestPattern: sealTestPattern(envelope, newTestPattern(envelope), gatePatternLabel(ticket.ticketCode), ticket.program.gateSealingPublicKey) }, [ticketSigner]));
    const answer = openProximity(envelope, await waitFor(() => frames[0], 'the examination'), [ticketExamination], malloryId, Date.now(), 60_000).message.fields as ExaminationFields;
    const pattern = openTestPattern(envelope, answer.ticketTestPattern ?? new Uint8Array(), ticketPatternLabel(ticket.ticketCode), ticket.program.ticketSealingSecretKey) as Uint8Array;
    const userId = alice.credentials.principal.id;
    await link.send(gateId, compose(ticketExaminationResponse, { ticketExaminationNumber: 1, ticketTestPattern: pattern, ticketStatus: ticket.status, variableTicketInformation: { couponsLeft: 2 }, gateId, merchantId: 'mer:funfair', requestNumber: answer.requestNumber, transactionNumber: answer.transactionNumber, ticketCode: ticket.ticketCode, ticketId: ticket.ticketId, userId }, [ticketSigner, { kid: userId, secretKey: world.platform.crypto.randomBytes(32) }]));
    await waitFor(() => frames[1], 'the examination certificate: the gate accepted the response');
    await link.close();
    expect(await north.runtime.dataUpdate()).toBe('updated');
    expect(gateOf(north).authorizationReports().find((entry) => entry.transactionNumber === answer.transactionNumber)).toMatchObject({ result: 'refused', reason: expect.stringContaining("user's signature") });
    expect(await registered(ticket.ticketId)).toMatchObject({ examinationNumber: 0 });
  });

  it('halts a gate whose upload holds another gate\'s examination response (its memory was altered)', async () => {
    const ticket = await registeredTicket(world, alice, issuer, coupons, { coupons: 3 });
    await examine(ticket.ticketId, north);
    const [record] = north.runtime.context.memory.records;
    expect(await north.runtime.dataUpdate()).toBe('updated');
    south.runtime.tamper((context) => {
      if (record !== undefined) context.memory.records.push(record);
    });
    expect(await south.runtime.dataUpdate()).toBe('use-disabled');
    expect((await world.platform.audit.list(50, 'alert')).some((row) => row.reason === 'mandatory-expiration' && row.principal === south.credentials.deviceId)).toBe(true);
  });
});
