import 'reflect-metadata';
import { Like, Not } from 'typeorm';
import { ActorSnapshotEntity } from '../persistence/entities/index.js';
import { decodeStrict } from '../protocol/cbor.js';
import type { FieldsOf, Money } from '../protocol/message.js';
import { openPart } from '../protocol/signed-part.js';
import { DEFAULT_CATALOGUE } from '../plugins/ticket/issuer/issuer-catalogue.js';
import { REFERENCE_TICKET_ISSUER_ID } from '../plugins/ticket/issuer/reference-ticket-issuing-system.js';
import { TICKET_SALES_OFFER_TYPE, ticketSalesOfferBody, type TicketSalesOfferBody } from '../plugins/ticket/order/order.messages.js';
import { issuerClearingAccount, userClearingAccount } from '../plugins/ticket/purchase/clearing-accounts.js';
import { REFUND_CLEARING_INFORMATION_TYPE, refundClearingInformationBody, userRefundReceipt } from '../plugins/ticket/refund/refund.messages.js';
import type { GateEvent } from '../plugins/ticket/terminal/gate/gate-examiner.js';
import type { TicketGate } from '../plugins/ticket/terminal/gate/ticket-gate.module.js';
import type { TicketWallet } from '../plugins/ticket/terminal/wallet/ticket-wallet.module.js';
import { DemoPlatform, type DemoDevice } from './demo-platform.js';

/**
 * The ticket service end to end, printed step by step: alice orders, buys and registers a 3-coupon museum and metro
 * ticket, passes the gate twice with it (3 -> 2 -> 1 coupons), buys a concert ticket and transfers it to bob; the
 * issuer cancels the concert (a modification with refund) and bob gets his money back. Every step runs the real
 * processes: sealed messages over the embedded MQTT broker, the SP's directors, the reference ticket issuing system
 * and transaction processing system as separate TCP endpoints, the gate examining offline over the MQTT-relayed
 * proximity link. Exit 0 when every step did what it should, 1 with the failed step otherwise.
 */

const PAYMENT = 'visa';
const STEP_TIMEOUT_MS = 15_000;

class DemoFailure extends Error {}

let stepNumber = 0;
function step(text: string): void {
  stepNumber += 1;
  console.log(`\n${String(stepNumber).padStart(2)}. ${text}`);
}
function fact(text: string): void {
  console.log(`    ${text}`);
}
function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new DemoFailure(what);
}

const euros = (money: Money): string => `${(money.amount / 100).toFixed(2)} ${money.currency}`;

/** Polls until the probe answers, or fails the step with what it was waiting for. */
async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new DemoFailure(`no ${what} within ${STEP_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function dateOf(ticketCode: string): string {
  const event = DEFAULT_CATALOGUE.find((candidate) => candidate.ticketCode === ticketCode);
  if (event === undefined) throw new DemoFailure(`no ${ticketCode} in the catalogue`);
  return event.date;
}

/** Orders one ticket and buys it; prints the offer and the issued ticket. Resolves with the ticket ID. */
async function orderAndBuy(demo: DemoPlatform, name: string, user: DemoDevice<TicketWallet>, ticketCode: string): Promise<{ ticketId: string; offer: TicketSalesOfferBody }> {
  step(`${name} orders one ${ticketCode} ticket (ticket order 5801 -> issuer 5802/5803 -> 5804)`);
  const order = await user.module.ordering.order({ issuer: REFERENCE_TICKET_ISSUER_ID, ticketCode, date: dateOf(ticketCode), count: 1 });
  check(order.responseCode === 'ticket-available' && order.offerNumber !== null && order.ticketSalesOffer !== null, `the order of ${ticketCode} was answered '${order.responseCode}': ${order.responseMessage}`);
  const opened = openPart(demo.platform.envelope, TICKET_SALES_OFFER_TYPE, order.ticketSalesOffer, ticketSalesOfferBody, [REFERENCE_TICKET_ISSUER_ID], () => demo.issuer.publicKeys.signing);
  check(opened.ok, 'the ticket sales offer does not carry the issuer\'s signature');
  const offer = opened.body;
  fact(`offer ${offer.offerNumber}: "${offer.title}", ${offer.date}, ${offer.location}${offer.seats.length > 0 ? `, seat ${offer.seats.join(', ')}` : ''}${offer.coupons === null ? '' : `, ${offer.coupons} coupons`}`);
  fact(`price ${euros(offer.price)} (signed by ${offer.ticketIssuerId})`);

  step(`${name} buys it with ${PAYMENT} (purchase order 5901 ... issuing message 5908, receipt 5909)`);
  const purchase = await user.module.purchasing.purchase({ offerNumber: order.offerNumber, paymentServiceCode: PAYMENT });
  check(purchase.outcome === 'issued', `the purchase was refused: ${purchase.outcome === 'refused' ? `${purchase.responseCode}: ${purchase.responseMessage}` : ''}`);
  const [ticketId] = purchase.ticketIds;
  check(ticketId !== undefined && user.module.state.tickets.some((ticket) => ticket.ticketId === ticketId), 'the issued ticket is not in the wallet');
  fact(`ticket ID ${ticketId} issued, ${purchase.clearing} clearing, ${euros(offer.price)} charged; ${name}'s wallet holds ${user.module.state.tickets.length} ticket(s)`);
  return { ticketId, offer };
}

async function passGate(name: string, user: DemoDevice<TicketWallet>, gate: DemoDevice<TicketGate>, ticketId: string, events: GateEvent[], pass: number): Promise<void> {
  step(`${name} holds the phone to the gate (${pass === 1 ? 'first' : 'second'} time): presentation 6701, examination 6702, response 6703, certificate 6704 over the proximity link`);
  const seen = events.length;
  const outcome = await user.module.presenting.present(ticketId, gate.deviceId);
  check(outcome.outcome === 'examined', `the gate did not examine the ticket: ${JSON.stringify(outcome)}`);
  const opened = await until(() => events.slice(seen).find((event): event is Extract<GateEvent, { kind: 'examined' }> => event.kind === 'examined' && event.ticketId === ticketId), 'gate opening');
  check(opened.opened, 'the gate examined the ticket but did not open');
  fact(`gate ${gate.deviceId} opened (transaction number ${opened.transactionNumber}, examination number ${outcome.certificate.ticketExaminationNumber})`);
  fact(`coupons left: ${outcome.ticket.variable.couponsLeft ?? 'none'}; ticket status: ${outcome.ticket.status.use}`);
}

async function transfer(from: DemoDevice<TicketWallet>, to: DemoDevice<TicketWallet>, ticketId: string): Promise<void> {
  step(`alice offers ticket ${ticketId} to bob's phone (offer 7401 over the proximity link)`);
  const offered = from.module.transferring.offer(ticketId, to.deviceId, STEP_TIMEOUT_MS);
  const incoming = await until(() => to.module.transferring.offers().find((offer) => offer.ticketId === ticketId && offer.stage === 'offered'), 'offer on bob\'s phone');
  fact(`bob's phone shows offer ${incoming.transferOfferNumber} from ${incoming.sender.userId} ("${incoming.title}")`);
  await to.module.transferring.accept(incoming.transferOfferNumber);
  const outcome = await offered;
  check(outcome.outcome === 'transferred', `the offer ended '${outcome.outcome}'`);
  fact('bob accepted (offer response 7404); alice\'s phone gave the transfer certificate 7406 and kept bob\'s receipt 7407');

  step('bob asks the service provider to transfer the ticket to him (transfer request 7411 -> ticket transfer 7412)');
  await to.module.transferring.requestTransfer(incoming.transferOfferNumber);
  await until(() => (to.module.state.tickets.some((ticket) => ticket.ticketId === ticketId) ? true : undefined), 'ticket in bob\'s wallet');
  check(!from.module.state.tickets.some((ticket) => ticket.ticketId === ticketId), 'alice still holds the transferred ticket');
  fact(`transfer accepted: ticket ${ticketId} is bob's now, with a new key pair; alice holds ${from.module.state.tickets.length} ticket(s), bob ${to.module.state.tickets.length}`);
}

async function refundAfterModification(demo: DemoPlatform, name: string, user: DemoDevice<TicketWallet>, ticketId: string, ticketCode: string): Promise<Money> {
  step(`the issuer cancels ${ticketCode} (modification request 8000/8100 with refund)`);
  const sent = await demo.issuer.operator.modifyEvent(ticketCode, { code: 'with-refund', text: 'The event is cancelled: ask for your refund.', replyWithinMs: 60_000 });
  check(sent.accepted, `the SP refused the modification: ${sent.reason ?? '?'}`);
  const notice = await until(() => user.module.modifying.notices().find((candidate) => candidate.ticketId === ticketId && candidate.stage === 'notified'), `modification notice on ${name}'s phone`);
  fact(`modification ${sent.modificationNumber} accepted by the SP; ${name}'s phone shows notice 8101: "${notice.text}"`);

  step(`${name} chooses "refund" (reaction selection 8104 -> refund request 8205 ... refund receipt 8211)`);
  await user.module.modifying.react(ticketId, 'refund');
  const answer = await until(() => user.module.refunding.receipts().find((entry) => entry.kind === 'userRefundReceipt' && entry.ticketId === ticketId) ?? user.module.refunding.refusals().find((row) => row.ticketId === ticketId), 'refund receipt');
  check('information' in answer, `the refund was refused: ${'responseCode' in answer ? `${answer.responseCode}: ${answer.responseMessage}` : ''}`);
  const receipt = answer;
  const fields = userRefundReceipt.fields.parse(decodeStrict(receipt.information)) as FieldsOf<typeof userRefundReceipt>;
  const sp = demo.platform.identity.sp;
  const clearing = openPart(demo.platform.envelope, REFUND_CLEARING_INFORMATION_TYPE, fields.clearingInformation, refundClearingInformationBody, [sp.id], () => sp.keys.signing.publicKey);
  check(clearing.ok, 'the refund receipt\'s clearing information does not carry the SP\'s signature');
  check(!user.module.state.tickets.some((ticket) => ticket.ticketId === ticketId), `the refunded ticket is still in ${name}'s wallet`);
  fact(`refund amount ${euros(clearing.body.refundAmount)}; ticket ${ticketId} erased from ${name}'s wallet`);
  return clearing.body.refundAmount;
}

async function ledger(demo: DemoPlatform, paid: Money, refunded: Money): Promise<void> {
  step('the ledger of the transaction processing system');
  const accounts = [
    ['alice', userClearingAccount('usr:alice', PAYMENT)],
    ['bob', userClearingAccount('usr:bob', PAYMENT)],
    ['Acme Tickets', issuerClearingAccount(REFERENCE_TICKET_ISSUER_ID)],
  ] as const;
  const { balances, trial } = await demo.withLedger(async (read) => ({ balances: await Promise.all(accounts.map(async ([, id]) => read.balance(id))), trial: await read.trialBalance() }));
  accounts.forEach(([owner, id], index) => fact(`${owner.padEnd(12)} ${id.padEnd(34)} ${balances[index] === undefined ? 'no account' : euros(balances[index])}`));
  fact(`trial balance: ${trial.balanced ? 'balanced' : 'NOT balanced'} (${trial.entryCount} journal entries, ${trial.postingCount} postings)`);
  check(trial.balanced, 'the ledger does not balance');
  const owed = { amount: -(paid.amount - refunded.amount), currency: paid.currency };
  check(balances[0]?.amount === owed.amount, `alice's account should show ${euros(owed)} (paid ${euros(paid)}, refunded ${euros(refunded)})`);
  check(balances[2]?.amount === -owed.amount, `the issuer's account should show ${euros({ ...owed, amount: -owed.amount })}`);
}

async function accounting(demo: DemoPlatform, users: readonly DemoDevice<TicketWallet>[]): Promise<void> {
  step('every ticket accounted for');
  const counts = await demo.issuer.readModel.ticketCounts();
  const inWallets = users.flatMap((user) => user.module.state.tickets.map((ticket) => ticket.ticketId)).sort();
  fact(`issuer: ${counts.inCirculation} in circulation, ${counts.refunded} refunded; wallets hold ${inWallets.length}`);
  check(JSON.stringify(counts.ticketIds) === JSON.stringify(inWallets), 'the issuer\'s tickets in circulation are not the tickets in the wallets');
}

async function run(demo: DemoPlatform): Promise<void> {
  step('service providing system up');
  fact(`SP ${demo.platform.spId}, MQTT broker ${demo.platform.mqttUrl} (embedded), SQLite in ${demo.dataDir}`);
  fact(`reference ticket issuing system ${demo.issuer.partyId} at ${demo.issuer.host}:${demo.issuer.port}, transaction processing system ${demo.platform.tpsId ?? '?'}`);

  step('devices attach over MQTT: alice\'s phone, bob\'s phone, the metro gate');
  const alice = await demo.user('alice');
  const bob = await demo.user('bob');
  const metro = await demo.merchant('metro');
  const gate = await demo.gate(metro, 'metro-gate-1');
  const events: GateEvent[] = [];
  gate.module.onEvent((event) => events.push(event));
  fact(`${alice.deviceId}, ${bob.deviceId}, ${gate.deviceId} (owned by ${metro}); proximity (infrared) relayed over MQTT`);

  const coupon = await orderAndBuy(demo, 'alice', alice, 'museum-metro-3');

  step(`alice registers ticket ${coupon.ticketId} (registration 6501 -> 6502)`);
  const registered = await alice.module.registering.register(coupon.ticketId);
  check(registered.status.registration === 'registered', 'the ticket is not registered');
  fact(`ticket ${coupon.ticketId} is on the registered ticket list, with a new certified key pair`);

  step('the gate is set up for museum-metro-3 (ticket setup 6601 -> 6602)');
  await demo.addToMerchantList('museum-metro-3', metro);
  const setup = await gate.module.setup('museum-metro-3', STEP_TIMEOUT_MS);
  check(setup.outcome === 'set-up', `the setup was refused: ${setup.outcome === 'refused' ? setup.reason : ''}`);
  fact(`${metro} put on the merchant list; the gate examines "${setup.entry.ticketName}" with instruction '${setup.entry.module.instruction}'`);

  await passGate('alice', alice, gate, coupon.ticketId, events, 1);
  await passGate('alice', alice, gate, coupon.ticketId, events, 2);

  const concert = await orderAndBuy(demo, 'alice', alice, 'concert-2027');
  await transfer(alice, bob, concert.ticketId);
  const gala = await orderAndBuy(demo, 'alice', alice, 'gala-personal');
  const refunded = await refundAfterModification(demo, 'alice', alice, gala.ticketId, 'gala-personal');
  check(refunded.amount === gala.offer.price.amount, `the refund ${euros(refunded)} is not the price ${euros(gala.offer.price)}`);

  const paid = [coupon, concert, gala].reduce((sum, bought) => sum + bought.offer.price.amount, 0);
  await ledger(demo, { amount: paid, currency: gala.offer.price.currency }, refunded);
  await accounting(demo, [alice, bob]);
}

/** What the platform recorded that may say why a step failed: recent refusals and alerts, and unfinished directors. */
async function printDiagnostics(demo: DemoPlatform): Promise<void> {
  const records = [...(await demo.platform.audit.list(5, 'refusal')), ...(await demo.platform.audit.list(5, 'alert'))];
  for (const record of records) console.error(`  ${record.category} ${record.reason}: ${record.message}`);
  const open = await demo.platform.dataSource.getRepository(ActorSnapshotEntity).find({ where: { kind: Like('director:%'), status: Not('done') }, order: { updatedAt: 'DESC' }, take: 5 });
  for (const actor of open) console.error(`  ${actor.actorId} (${actor.status}) is in state ${actor.stateValue}`);
}

async function main(): Promise<number> {
  if (process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
    console.log('usage: ticket-demo   (starts its own Tessera in a temp folder; TESSERA_DEMO_VERBOSE=1 shows platform warnings)');
    return 0;
  }
  console.log('Tessera ticket demo: order, buy, register, pass a gate twice, transfer, refund after a modification');
  let demo: DemoPlatform | undefined;
  try {
    demo = await DemoPlatform.start();
    await run(demo);
    console.log('\nDemo finished: every step succeeded.');
    return 0;
  } catch (error) {
    const message = error instanceof Error ? (error instanceof DemoFailure ? error.message : (error.stack ?? error.message)) : String(error);
    console.error(`\nDemo failed at step ${stepNumber}: ${message}`);
    if (demo !== undefined) await printDiagnostics(demo).catch(() => undefined);
    return 1;
  } finally {
    await demo?.close().catch((error: unknown) => console.error(`cleanup: ${error instanceof Error ? error.message : String(error)}`));
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
