// Proves the ticket refund [1732]-[1766] end to end, entered from a "refund" reaction to a modification: with
// immediate clearing (refund request 8205, refund commission 8206, refund clearing 8207 / 8208 at the TPS, 8209 / 8210
// with the issuer, refund receipt 8211) and with delayed clearing (temporary refund receipt 8307 at once, 8309-8312 in
// the batch, the final receipt in the next data update 8313); the refunded ticket is erased on both sides and the
// registered list marks it refunded; a used ticket's refund is refused before the issuer is asked; a transferred
// ticket is refunded to its holder's card account, the buyer's purchase untouched. Afterwards the
// issuer's sold tickets = tickets in wallets + refunded tickets, and the TPS ledger balances.
import { fromBase64 } from '../../../src/common/bytes.js';
import { decodeStrict } from '../../../src/protocol/cbor.js';
import { NodeCryptoBackend } from '../../../src/protocol/crypto/node-backend.js';
import { Envelope } from '../../../src/protocol/envelope.js';
import { openPart } from '../../../src/protocol/signed-part.js';
import { RegisteredTicketEntity } from '../../../src/plugins/ticket/persistence/registered-ticket.entity.js';
import { issuerClearingAccount, userClearingAccount } from '../../../src/plugins/ticket/purchase/clearing-accounts.js';
import { TicketRefundEntity } from '../../../src/plugins/ticket/refund/ticket-refund.entity.js';
import { startRefundClearingBatch } from '../../../src/plugins/ticket/refund/refund-batch.js';
import { ISSUER_REFUND_INFORMATION_TYPE, REFUND_CLEARING_INFORMATION_TYPE, issuerRefundInformationBody, refundClearingInformationBody, userRefundReceipt } from '../../../src/plugins/ticket/refund/refund.messages.js';
import type { FieldsOf } from '../../../src/protocol/message.js';
import type { WalletTicket } from '../../../src/plugins/ticket/terminal/wallet/wallet-state.js';
import type { AttachedDevice } from '../../helpers/world.js';
import { TicketWorld } from '../../helpers/ticket-world.js';
import { waitFor } from '../../helpers/wait-for.js';
import { gateOf, setUpGate } from './gate-fixtures.js';

const envelope = new Envelope(new NodeCryptoBackend());
let tickets: TicketWorld;
const users: AttachedDevice[] = [];

beforeAll(async () => {
  tickets = await TicketWorld.create({ ticket: { referenceIssuer: { policy: { trustedAfterPurchases: 1 } } } });
});
afterAll(async () => tickets.close());

async function user(name: string): Promise<AttachedDevice> {
  const device = await tickets.world.user(name);
  users.push(device);
  return device;
}

const dataSource = () => tickets.world.platform.dataSource;
const registered = (ticketId: string) => dataSource().getRepository(RegisteredTicketEntity).findOneByOrFail({ ticketId });
const refundOf = (ticketId: string) => dataSource().getRepository(TicketRefundEntity).findOneBy({ ticketId });
const receiptKinds = (device: AttachedDevice) => tickets.wallet(device).refunding.receipts().map((entry) => entry.kind);
const holds = (device: AttachedDevice, ticket: WalletTicket) => tickets.wallet(device).state.tickets.some((held) => held.ticketId === ticket.ticketId);

/** The issuer modifies the event with a refund; the user answers "refund" to the notice. */
async function refundAfterModification(device: AttachedDevice, ticket: WalletTicket): Promise<void> {
  const sent = await tickets.issuer.operator.modifyEvent(ticket.ticketCode, { code: 'with-refund', text: 'The event is cancelled: ask for your refund.', replyWithinMs: 60_000 });
  expect(sent.accepted).toBe(true);
  const wallet = tickets.wallet(device);
  await waitFor(() => wallet.modifying.notices().find((notice) => notice.ticketId === ticket.ticketId && notice.stage === 'notified'), `the notice for ${ticket.ticketId}`);
  await wallet.modifying.react(ticket.ticketId, 'refund');
  expect(wallet.modifying.isUseDisabled(ticket.ticketId)).toBe(true);
}

async function balance(account: string): Promise<number | undefined> {
  const ledger = await tickets.tpsLedger();
  try {
    return (await ledger.readModel.balance(account))?.amount;
  } finally {
    await ledger.close();
  }
}

describe('refund with immediate clearing [1740]-[1753]', () => {
  it('pays the price back, erases the ticket on both sides and leaves the refund receipt 8211 in the use list', async () => {
    const alice = await user('alice');
    const ticket = await tickets.buyTicket(alice, 'museum-metro-3');
    expect(await balance(userClearingAccount('usr:alice', 'visa'))).toBe(-1200);
    await refundAfterModification(alice, ticket);
    await waitFor(() => receiptKinds(alice).includes('userRefundReceipt'), 'the refund receipt');
    expect(holds(alice, ticket)).toBe(false);
    expect(await registered(ticket.ticketId)).toMatchObject({ lifecycle: 'refunded' });
    expect(await refundOf(ticket.ticketId)).toMatchObject({ status: 'receipted', clearingOption: 'immediate', amount: 1200, currency: 'EUR', finalReceipt: null });
    expect(await balance(userClearingAccount('usr:alice', 'visa'))).toBe(0);
    expect(await balance(issuerClearingAccount(tickets.issuer.partyId))).toBe(0);
    const entry = tickets.wallet(alice).refunding.receipts().find((used) => used.kind === 'userRefundReceipt');
    const fields = userRefundReceipt.fields.parse(decodeStrict(entry?.information ?? new Uint8Array())) as FieldsOf<typeof userRefundReceipt>;
    const issued = openPart(envelope, ISSUER_REFUND_INFORMATION_TYPE, fields.refundReceipt.refundInformation, issuerRefundInformationBody, [tickets.issuer.partyId], () => tickets.issuer.publicKeys.signing);
    expect(issued.ok && issued.body.ticketId).toBe(ticket.ticketId);
    const sp = tickets.world.platform.identity.sp;
    const clearing = openPart(envelope, REFUND_CLEARING_INFORMATION_TYPE, fields.clearingInformation, refundClearingInformationBody, [sp.id], () => sp.keys.signing.publicKey);
    expect(clearing.ok && clearing.body.refundAmount).toEqual({ amount: 1200, currency: 'EUR' });
    const counts = await tickets.issuer.readModel.ticketCounts();
    expect(counts.refunded).toBe(1);
    expect(counts.ticketIds).not.toContain(ticket.ticketId);
  });
});

describe('refund with delayed clearing [1754]-[1766]', () => {
  it('erases the ticket with the temporary refund receipt 8307, clears in the batch, and delivers the final receipt by data update', async () => {
    const carol = await user('carol');
    await tickets.buyTicket(carol, 'concert-2027');
    // Carol is now a trusted customer: her next purchase is cleared in the daily batch, so its refund must wait too.
    const ticket = await tickets.buyTicket(carol, 'gala-personal');
    expect(await registered(ticket.ticketId)).toMatchObject({ clearing: 'delayed' });
    await refundAfterModification(carol, ticket);
    await waitFor(() => receiptKinds(carol).includes('temporaryRefundReceipt'), 'the temporary refund receipt');
    expect(holds(carol, ticket)).toBe(false);
    expect(await registered(ticket.ticketId)).toMatchObject({ lifecycle: 'refunded' });
    expect(await refundOf(ticket.ticketId)).toMatchObject({ status: 'awaiting-batch', clearingOption: 'delayed' });

    await tickets.runClearingBatch();
    await waitFor(async () => (await tickets.issuer.readModel.ticketCounts()).salesByStatus['commissioned'] === undefined, 'the purchase cleared in its batch');
    expect(await startRefundClearingBatch(tickets.world.platform.actors, dataSource())).toBe(1);
    const done = await waitFor(async () => {
      const row = await refundOf(ticket.ticketId);
      return row?.status === 'receipted' ? row : undefined;
    }, 'the refund cleared in the batch');
    expect(done.finalReceipt).not.toBeNull();
    expect(receiptKinds(carol)).toEqual(['temporaryRefundReceipt']);
    expect(await balance(userClearingAccount('usr:carol', 'visa'))).toBe(-4500);

    expect(await carol.runtime.dataUpdate()).toBe('updated');
    await waitFor(() => receiptKinds(carol).includes('userRefundReceipt'), 'the final refund receipt from the data update');
    expect(receiptKinds(carol)).toEqual(['userRefundReceipt']);
    const fields = decodeStrict(fromBase64(done.finalReceipt ?? '')) as { refundReceipt: { requestNumber: string } };
    expect(fields.refundReceipt.requestNumber).toBe(done.requestNumber);
  });
});

describe('refund of a used ticket [1734]', () => {
  it('is refused by the SP from its registered ticket list, before the issuer is asked to cancel anything', async () => {
    const bob = await user('bob');
    const gate = await tickets.world.merchantDevice('gate', 'door-1', 'cityhall');
    const bought = await tickets.buyTicket(bob, 'concert-2027');
    await tickets.wallet(bob).registering.register(bought.ticketId);
    await setUpGate(tickets.world, gate, 'concert-2027');
    const outcome = await tickets.wallet(bob).presenting.present(bought.ticketId, gate.credentials.deviceId);
    expect(outcome.outcome).toBe('examined');
    expect(await gate.runtime.dataUpdate()).toBe('updated');
    await waitFor(async () => ((await registered(bought.ticketId)).status as { use: string }).use === 'entered', 'the reference to record the entry');
    expect(gateOf(gate).state.transactionList).toHaveLength(1);

    await refundAfterModification(bob, bought);
    const refusal = await waitFor(() => tickets.wallet(bob).refunding.refusals().find((row) => row.ticketId === bought.ticketId), 'the refund refusal');
    expect(refusal.responseCode).toBe('ticket-used');
    expect(await refundOf(bought.ticketId)).toBeNull();
    expect((await tickets.issuer.readModel.ticketCounts()).ticketIds).toContain(bought.ticketId);
    expect(await registered(bought.ticketId)).not.toMatchObject({ lifecycle: 'refunded' });
  });
});

describe('a copy of a refunded ticket', () => {
  it('is caught at reference: the registered ticket list says refunded', async () => {
    const erin = await user('erin');
    const gate = await tickets.world.merchantDevice('gate', 'museum-1', 'museum');
    const bought = await tickets.buyTicket(erin, 'museum-metro-3');
    const copy = await tickets.wallet(erin).registering.register(bought.ticketId);
    await refundAfterModification(erin, bought);
    await waitFor(() => receiptKinds(erin).includes('userRefundReceipt'), 'the refund receipt');
    expect(holds(erin, bought)).toBe(false);
    // A terminal that kept a copy of the erased ticket presents it at a gate, which examines offline.
    tickets.wallet(erin).context.store.update((state) => ({ ...state, tickets: [...state.tickets, copy] }));
    await setUpGate(tickets.world, gate, 'museum-metro-3');
    expect((await tickets.wallet(erin).presenting.present(bought.ticketId, gate.credentials.deviceId)).outcome).toBe('examined');
    expect(await gate.runtime.dataUpdate()).toBe('updated');
    const alert = await waitFor(async () => (await tickets.world.platform.audit.list(50, 'alert')).find((row) => row.message.includes(bought.ticketId) && row.message.includes('refunded')), 'the reference alert');
    expect(alert.reason).toBe('ticket-reference');
    tickets.wallet(erin).context.store.update((state) => ({ ...state, tickets: state.tickets.filter((ticket) => ticket.ticketId !== bought.ticketId) }));
  });
});

describe('refund of a transferred ticket [1742]', () => {
  it('pays the holder: A bought it, B holds it, B answers "refund"; B\'s card is credited, A\'s still shows the purchase', async () => {
    const gina = await user('gina');
    const hank = await user('hank');
    const ticket = await tickets.buyTicket(gina, 'museum-metro-3');
    expect(await balance(userClearingAccount('usr:gina', 'visa'))).toBe(-1200);
    const outcome = tickets.wallet(gina).transferring.offer(ticket.ticketId, hank.credentials.deviceId, 5000);
    const offered = await waitFor(() => tickets.wallet(hank).transferring.offers().find((offer) => offer.ticketId === ticket.ticketId && offer.stage === 'offered'), 'the offer on the receiving terminal');
    await tickets.wallet(hank).transferring.accept(offered.transferOfferNumber);
    expect(await outcome).toMatchObject({ outcome: 'transferred' });
    await tickets.wallet(hank).transferring.requestTransfer(offered.transferOfferNumber);
    const received = await waitFor(() => tickets.wallet(hank).state.tickets.find((held) => held.ticketId === ticket.ticketId), "the ticket in the holder's wallet");
    expect(await registered(ticket.ticketId)).toMatchObject({ userId: 'usr:hank', formerUsers: [expect.objectContaining({ userId: 'usr:gina' })] });
    const issuerBefore = await balance(issuerClearingAccount(tickets.issuer.partyId));
    // The holder never bought anything: the refund opens the card account it credits.
    expect(await balance(userClearingAccount('usr:hank', 'visa'))).toBeUndefined();
    const refundedBefore = (await tickets.issuer.readModel.ticketCounts()).refunded;

    await refundAfterModification(hank, received);
    await waitFor(() => receiptKinds(hank).includes('userRefundReceipt'), "the holder's refund receipt");
    expect(tickets.wallet(hank).refunding.refusals()).toEqual([]);
    expect(holds(hank, received)).toBe(false);
    expect(await registered(ticket.ticketId)).toMatchObject({ lifecycle: 'refunded', userId: 'usr:hank' });
    expect(await refundOf(ticket.ticketId)).toMatchObject({ userId: 'usr:hank', status: 'receipted', clearingOption: 'immediate', amount: 1200, currency: 'EUR' });
    expect(await balance(userClearingAccount('usr:hank', 'visa'))).toBe(1200);
    expect(await balance(userClearingAccount('usr:gina', 'visa'))).toBe(-1200);
    expect(await balance(issuerClearingAccount(tickets.issuer.partyId))).toBe((issuerBefore ?? 0) - 1200);
    const counts = await tickets.issuer.readModel.ticketCounts();
    expect(counts.refunded).toBe(refundedBefore + 1);
    expect(counts.ticketIds).not.toContain(ticket.ticketId);
  });
});

describe('accounting', () => {
  it('sold tickets = tickets in wallets + refunded tickets, and the ledger balances', async () => {
    const counts = await tickets.issuer.readModel.ticketCounts();
    const inWallets = users.flatMap((device) => tickets.wallet(device).state.tickets.map((ticket) => ticket.ticketId)).sort();
    expect(counts.ticketIds).toEqual(inWallets);
    expect(counts.refunded).toBe(4);
    const refundedRows = await dataSource().getRepository(RegisteredTicketEntity).countBy({ lifecycle: 'refunded' });
    expect(refundedRows).toBe(counts.refunded);
    const ledger = await tickets.tpsLedger();
    try {
      const trial = await ledger.readModel.trialBalance();
      expect(trial.balanced).toBe(true);
    } finally {
      await ledger.close();
    }
  });
});
