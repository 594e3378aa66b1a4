// Proves ticket setup at a gate [1628]-[1634] over the real broker and database: a gate of a merchant on the merchant
// list receives the examination program (6602, gate private key, ticket public key, examination module) into its
// ticket list 2409; a merchant that is not on the list is refused and audited, and its gate registers nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fromBase64 } from '../../../src/common/bytes.js';
import { ActorSnapshotEntity, AuditRecordEntity, InspectionEventEntity } from '../../../src/persistence/entities/index.js';
import { TicketPlugin } from '../../../src/plugins/ticket/ticket.plugin.js';
import { TicketMerchantList } from '../../../src/plugins/ticket/setup/merchant-list.js';
import { TestWorld, type AttachedDevice } from '../../helpers/world.js';
import { waitFor } from '../../helpers/wait-for.js';
import { enrolIssuer, gateOf, ticketKind, type Issuer } from './gate-fixtures.js';
import type { TicketManagementEntity } from '../../../src/plugins/ticket/persistence/index.js';

describe('ticket setup at a gate', () => {
  let world: TestWorld;
  let issuer: Issuer;
  let kind: TicketManagementEntity;
  let gate: AttachedDevice;
  let stranger: AttachedDevice;

  beforeAll(async () => {
    world = await TestWorld.create({ plugins: [TicketPlugin.init({})] });
    issuer = await enrolIssuer(world);
    kind = await ticketKind(world, issuer, 'concert-2030', 'coupon.book-v1');
    gate = await world.merchantDevice('gate', 'arena-1', 'arena');
    stranger = await world.merchantDevice('gate', 'other-1', 'other');
  });
  afterAll(async () => world.close());

  it('delivers the examination program to a gate whose merchant is on the merchant list', async () => {
    await new TicketMerchantList(world.platform.dataSource, world.clock).add({ ticketCode: kind.ticketCode, merchantId: 'mer:arena', gateId: null });
    const outcome = await gateOf(gate).setup(kind.ticketCode);
    expect(outcome.outcome).toBe('set-up');
    const entry = gateOf(gate).state.ticketList[kind.ticketCode];
    expect(entry).toBeDefined();
    expect(entry?.gatePrivateKey).toEqual(fromBase64(kind.gatePrivateKey));
    expect(entry?.ticketPublicKey).toEqual(fromBase64(kind.ticketPublicKey));
    expect(entry?.module).toMatchObject({ moduleId: 'ticket.examination', version: '1', templateCode: 'coupon.book-v1', instruction: 'use-coupon' });
    expect(entry?.module.issuerSigningPublicKey).not.toBeNull();
    expect(entry).toMatchObject({ ticketName: kind.ticketName, issuerId: issuer.id, validUntil: kind.validUntil });
    const directors = await world.platform.dataSource.getRepository(ActorSnapshotEntity).findBy({ kind: 'director:ticket-setup' });
    expect(directors.map((row) => row.stateValue)).toEqual(['setUp']);
  });

  it('never shows the gate private key in the process trace or the outbox', async () => {
    const key = kind.gatePrivateKey;
    await world.platform.inspection.flush();
    const trace = await world.platform.dataSource.getRepository(InspectionEventEntity).find();
    expect(trace.length).toBeGreaterThan(0);
    expect(JSON.stringify(trace)).not.toContain(key);
    expect(JSON.stringify(await world.platform.dataSource.getRepository(ActorSnapshotEntity).find())).not.toContain(key);
  });

  it('refuses a merchant that is not on the merchant list, audits it, and the gate registers nothing', async () => {
    const outcome = await gateOf(stranger).setup(kind.ticketCode);
    expect(outcome).toMatchObject({ outcome: 'refused' });
    expect(gateOf(stranger).state.ticketList).toEqual({});
    const audit = await waitFor(async () => (await world.platform.dataSource.getRepository(AuditRecordEntity).findBy({ reason: 'ticket-setup-refused' }))[0], 'the refusal in the audit log');
    expect(audit.principal).toBe(stranger.credentials.deviceId);
    expect(audit.message).toContain('merchant list');
  });

  it('refuses a setup for a ticket code nobody issued', async () => {
    expect(await gateOf(gate).setup('no-such-ticket')).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('no electronic ticket') });
  });

});
