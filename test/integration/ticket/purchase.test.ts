// Proves the ticket purchase [1572]-[1620] end to end over the real broker, database, SP actors, reference ticket issuing system and TPS: spontaneous clearing (tickets and receipt at once), delayed clearing (tickets and temporary receipt at once, the batch later, the final receipt by data update), a refused clearing undone on every side, a replayed or forged purchase order refused with nothing changed, and afterwards sold tickets = tickets in wallets and a balanced ledger.
import { ActorSnapshotEntity, AuditRecordEntity } from '../../../src/persistence/entities/index.js';
import { MessageCodec } from '../../../src/protocol/codec.js';
import { generatePrincipalKeys } from '../../../src/protocol/crypto/crypto-backend.js';
import { NodeCryptoBackend } from '../../../src/protocol/crypto/node-backend.js';
import { Envelope } from '../../../src/protocol/envelope.js';
import type { PrincipalId } from '../../../src/protocol/ids.js';
import { MessageRegistry } from '../../../src/protocol/message-registry.js';
import { REFERENCE_TICKET_ISSUER_ID } from '../../../src/plugins/ticket/issuer/reference-ticket-issuing-system.js';
import { RegisteredTicketEntity } from '../../../src/plugins/ticket/persistence/registered-ticket.entity.js';
import { TicketIssuedDataEntity } from '../../../src/plugins/ticket/modification/ticket-issued-data.entity.js';
import { TicketPurchaseEntity } from '../../../src/plugins/ticket/purchase/persistence/ticket-purchase.entity.js';
import { PURCHASE_MESSAGES, STANDARD_PURCHASE_RESPONSE_MESSAGES, ticketPurchaseOrder } from '../../../src/plugins/ticket/purchase/purchase.messages.js';
import { userClearingAccount, issuerClearingAccount } from '../../../src/plugins/ticket/purchase/clearing-accounts.js';
import type { AttachedDevice } from '../../helpers/world.js';
import { TicketWorld } from '../../helpers/ticket-world.js';
import { waitFor } from '../../helpers/wait-for.js';

const crypto = new NodeCryptoBackend();
let tickets: TicketWorld;
const users: AttachedDevice[] = [];

beforeAll(async () => {
  tickets = await TicketWorld.create({ ticket: { referenceIssuer: { policy: { trustedAfterPurchases: 1 } }, cards: { creditLimits: { 'empty-card': 0 } } } });
});
afterAll(async () => tickets.close());

async function user(name: string): Promise<AttachedDevice> {
  const device = await tickets.world.user(name);
  users.push(device);
  return device;
}

const purchaseRow = (requestNumber: string) => tickets.world.platform.dataSource.getRepository(TicketPurchaseEntity).findOneBy({ requestNumber });
const issuerSales = async () => (await tickets.issuer.readModel.ticketCounts()).salesByStatus;

describe('spontaneous clearing [1588]-[1601]', () => {
  it('issues the ticket after the price is cleared: ticket in the ticket list, receipt in the use list, user ticket list row, money moved', async () => {
    const alice = await user('alice-p');
    const ticket = await tickets.buyTicket(alice, 'concert-2027');
    const wallet = tickets.wallet(alice);
    expect(wallet.state.tickets.map((held) => held.ticketId)).toEqual([ticket.ticketId]);
    expect(ticket).toMatchObject({ ticketCode: 'concert-2027', status: { registration: 'unregistered', transferable: true, use: 'unused' }, variable: { couponsLeft: null } });
    expect(wallet.state.useList.map((use) => use.kind)).toEqual(['ticketPurchaseReceipt']);
    const purchase = Object.values(wallet.purchasing.purchases)[0];
    expect(purchase).toMatchObject({ clearing: 'spontaneous', receipt: 'final', outcome: 'issued' });
    const row = await tickets.world.platform.dataSource.getRepository(RegisteredTicketEntity).findOneBy({ ticketId: ticket.ticketId });
    expect(row).toMatchObject({ userId: 'usr:alice-p', lifecycle: 'issued', clearing: 'spontaneous' });
    // What the ticket was generated from is kept for a modification that changes only the template.
    const issued = await tickets.world.platform.dataSource.getRepository(TicketIssuedDataEntity).findOneBy({ ticketId: ticket.ticketId });
    expect(issued?.origin).toBe('purchase');
    expect(issued?.ticketData).toBe(Buffer.from(ticket.presentationTicket).toString('base64'));
    const ledger = await tickets.tpsLedger();
    try {
      expect(await ledger.readModel.balance(userClearingAccount('usr:alice-p', 'visa'))).toEqual({ amount: -4500, currency: 'EUR' });
      expect(await ledger.readModel.balance(issuerClearingAccount(REFERENCE_TICKET_ISSUER_ID))).toEqual({ amount: 4500, currency: 'EUR' });
    } finally {
      await ledger.close();
    }
  });
});

describe('delayed clearing [1606]-[1620]', () => {
  it('gives a trusted customer the ticket and a temporary receipt at once, clears in the batch and replaces the receipt at the next data update', async () => {
    const alice = users[0] as AttachedDevice;
    const wallet = tickets.wallet(alice);
    const order = await wallet.ordering.order({ issuer: REFERENCE_TICKET_ISSUER_ID, ticketCode: 'museum-metro-3', date: '2027-12-31', count: 1 });
    const result = await wallet.purchasing.purchase({ offerNumber: order.offerNumber ?? '', paymentServiceCode: 'visa' });
    expect(result).toMatchObject({ outcome: 'issued', clearing: 'delayed' });
    if (result.outcome !== 'issued') return;
    const coupon = wallet.state.tickets.find((held) => held.ticketId === result.ticketIds[0]);
    expect(coupon).toMatchObject({ ticketCode: 'museum-metro-3', variable: { couponsLeft: 3 }, program: { templateCode: 'coupon.book-v1' } });
    expect(wallet.state.useList.filter((use) => use.requestNumber === result.requestNumber).map((use) => use.kind)).toEqual(['temporaryTicketReceipt']);
    expect(await purchaseRow(result.requestNumber)).toMatchObject({ state: 'awaiting-batch', clearing: 'delayed' });
    expect(await issuerSales()).toMatchObject({ commissioned: 1 });

    await tickets.runClearingBatch();
    const done = await waitFor(async () => {
      const row = await purchaseRow(result.requestNumber);
      return row?.state === 'completed' && row.finalReceipt !== null ? row : undefined;
    }, 'the delayed purchase cleared');
    expect(done.clearingNumber).toBeGreaterThan(0);
    expect(await issuerSales()).toEqual({ cleared: 2 });
    expect(wallet.state.useList.filter((use) => use.requestNumber === result.requestNumber).map((use) => use.kind)).toEqual(['temporaryTicketReceipt']);

    expect(await alice.runtime.dataUpdate()).toBe('updated');
    expect(wallet.state.useList.filter((use) => use.requestNumber === result.requestNumber).map((use) => use.kind)).toEqual(['ticketPurchaseReceipt']);
    expect(wallet.purchasing.purchases[result.requestNumber]).toMatchObject({ receipt: 'final', outcome: 'issued' });
  });

  it('runs an empty batch without touching anything', async () => {
    const before = await issuerSales();
    const pg = await tickets.runClearingBatch();
    const batch = await waitFor(async () => {
      const row = await tickets.world.platform.dataSource.getRepository(ActorSnapshotEntity).findOneBy({ actorId: pg });
      return row?.stateValue === 'done' ? row : undefined;
    }, 'the empty batch done');
    expect(batch.kind).toBe('director:ticket-clearing-batch');
    expect(await issuerSales()).toEqual(before);
    expect(await tickets.world.platform.dataSource.getRepository(TicketPurchaseEntity).countBy({ batchPg: pg })).toBe(0);
  });
});

describe('a refused clearing undoes the purchase (DESIGN)', () => {
  it('tells the user with a response code, puts nothing in the wallet, cancels the sale at the issuer and frees the seats', async () => {
    const bob = await user('bob-p');
    const wallet = tickets.wallet(bob);
    const order = await wallet.ordering.order({ issuer: REFERENCE_TICKET_ISSUER_ID, ticketCode: 'gala-personal', date: '2027-06-01', count: 2 });
    const result = await wallet.purchasing.purchase({ offerNumber: order.offerNumber ?? '', paymentServiceCode: 'empty-card' });
    expect(result).toMatchObject({ outcome: 'refused', responseCode: 'clearing-refused', responseMessage: STANDARD_PURCHASE_RESPONSE_MESSAGES['clearing-refused'] });
    expect(wallet.state.tickets).toEqual([]);
    expect(wallet.state.useList).toEqual([]);
    if (result.outcome !== 'refused') return;
    expect(await purchaseRow(result.requestNumber)).toMatchObject({ state: 'cancelled' });
    expect(await tickets.world.platform.dataSource.getRepository(RegisteredTicketEntity).countBy({ userId: 'usr:bob-p' })).toBe(0);
    expect((await tickets.issuer.readModel.ticketCounts()).cancelled).toBe(2);
    const again = await wallet.ordering.order({ issuer: REFERENCE_TICKET_ISSUER_ID, ticketCode: 'gala-personal', date: '2027-06-01', count: 2 });
    expect(again.responseCode).toBe('ticket-available');
    const ledger = await tickets.tpsLedger();
    try {
      expect(await ledger.readModel.balance(userClearingAccount('usr:bob-p', 'empty-card'))).toEqual({ amount: 0, currency: 'EUR' });
    } finally {
      await ledger.close();
    }
  });

  it('answers a payment value that is not the offer\'s price with the issuer\'s response code, and issues nothing', async () => {
    const bob = users[1] as AttachedDevice;
    const wallet = tickets.wallet(bob);
    const offerNumber = Object.keys(wallet.ordering.offers)[0] ?? '';
    const result = await wallet.purchasing.purchase({ offerNumber, paymentServiceCode: 'visa', paymentValue: { amount: 1, currency: 'EUR' } });
    expect(result).toMatchObject({ outcome: 'refused', responseCode: 'payment-value-mismatch' });
    expect(wallet.state.tickets).toEqual([]);
  });
});

describe('refusals at the boundary', () => {
  const codec = () => new MessageCodec(new Envelope(crypto), new MessageRegistry().register(...PURCHASE_MESSAGES), tickets.world.clock, { maxSkewMs: 300_000, numberRetentionMs: 86_400_000 });
  async function lastRefusal(after: number): Promise<AuditRecordEntity> {
    return waitFor(async () => {
      const rows = await tickets.world.platform.dataSource.getRepository(AuditRecordEntity).find({ order: { seq: 'DESC' }, take: 1 });
      return rows[0] !== undefined && rows[0].seq > after ? rows[0] : undefined;
    }, 'a refusal audit record');
  }
  const auditSeq = async () => (await tickets.world.platform.dataSource.getRepository(AuditRecordEntity).find({ order: { seq: 'DESC' }, take: 1 }))[0]?.seq ?? 0;
  const counts = async () => ({ sales: await issuerSales(), purchases: await tickets.world.platform.dataSource.getRepository(TicketPurchaseEntity).count() });

  it('refuses a replayed purchase order and a forged or misaddressed one, with nothing changed', async () => {
    const carol = await user('carol-p');
    const wallet = tickets.wallet(carol);
    const order = await wallet.ordering.order({ issuer: REFERENCE_TICKET_ISSUER_ID, ticketCode: 'concert-2027', date: '2027-04-10', count: 1 });
    const offer = wallet.ordering.offers[order.offerNumber ?? ''];
    if (offer === undefined) throw new Error('no offer kept');
    const result = await wallet.purchasing.purchase({ offerNumber: offer.offerNumber, paymentServiceCode: 'visa' });
    expect(result.outcome).toBe('issued');
    const sp = tickets.world.platform.identity.sp;
    const fields = {
      serviceCode: REFERENCE_TICKET_ISSUER_ID,
      ticketSalesOffer: offer.ticketSalesOffer,
      offerNumber: offer.offerNumber,
      paymentServiceCode: 'visa',
      paymentValue: { amount: 4500, currency: 'EUR' },
      paymentOptionCode: 'single',
      requestNumber: result.requestNumber,
      validUntil: tickets.world.clock.now() + 60_000,
      userId: 'usr:carol-p',
    };
    const compose = (signer: { kid: string; secretKey: Uint8Array }, to: string = sp.id, requestNumber = fields.requestNumber) =>
      codec().compose(ticketPurchaseOrder, { from: 'usr:carol-p', to: to as PrincipalId, fields: { ...fields, requestNumber } }, [signer], sp.keys.sealing.publicKey).bytes;
    const carolSigner = { kid: 'usr:carol-p', secretKey: carol.credentials.principal.keys.signing.secretKey };
    const before = await counts();

    let seq = await auditSeq();
    await carol.link.send(compose(carolSigner));
    expect(await lastRefusal(seq)).toMatchObject({ category: 'refusal', reason: 'replay' });

    seq = await auditSeq();
    await carol.link.send(compose({ kid: 'usr:carol-p', secretKey: generatePrincipalKeys(crypto).signing.secretKey }, sp.id, 'forged-1'));
    expect(await lastRefusal(seq)).toMatchObject({ reason: 'bad-signature' });

    seq = await auditSeq();
    await carol.link.send(compose(carolSigner, 'sp:elsewhere', 'elsewhere-1'));
    expect(await lastRefusal(seq)).toMatchObject({ reason: 'wrong-addressee' });

    await tickets.world.platform.actors.idle();
    expect(await counts()).toEqual(before);
    expect(wallet.state.tickets).toHaveLength(1);
  });
});

describe('accounting after the purchases', () => {
  it('sold tickets = tickets in wallets + refunded, and the ledger balances', async () => {
    const counts = await tickets.issuer.readModel.ticketCounts();
    const inWallets = users.flatMap((device) => tickets.wallet(device).state.tickets.map((ticket) => ticket.ticketId)).sort();
    expect(counts.refunded).toBe(0);
    expect(counts.ticketIds).toEqual(inWallets);
    expect(counts.inCirculation + counts.refunded).toBe(inWallets.length);
    const ledger = await tickets.tpsLedger();
    try {
      expect(await ledger.readModel.trialBalance()).toMatchObject({ balanced: true });
    } finally {
      await ledger.close();
    }
  });
});
