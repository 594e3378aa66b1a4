import type { EntityManager } from 'typeorm';
import { fromBase64, toBase64 } from '../../../common/bytes.js';
import type { TaskHandler } from '../../../core/outbox-dispatcher.js';
import { transactionalTask } from '../../../core/transactional-task.js';
import type { AccountOpenFields, RefundClearingFields, RefundOutcome } from '../../../external/transaction-processing/tps-messages.js';
import type { FieldsOf } from '../../../protocol/message.js';
import { openPart, signPart } from '../../../protocol/signed-part.js';
import type { PluginServices } from '../../plugin.contract.js';
import { customerNumberIn } from '../persistence/customer-table.js';
import { ticketStatus } from '../model/ticket-status.js';
import { RegisteredTicketEntity } from '../persistence/registered-ticket.entity.js';
import { markAccountsOpen, type CardSettings } from '../purchase/clearing-accounts.js';
import { pack } from '../purchase/director-kit.js';
import { auditTicketEvent } from '../modification/ticket-audit.js';
import { TicketIssuedDataEntity } from '../modification/ticket-issued-data.entity.js';
import {
  ISSUER_REFUND_INFORMATION_TYPE,
  REFUND_CLEARING_INFORMATION_TYPE,
  SP_REFUND_INFORMATION_TYPE,
  issuerRefundInformationBody,
  type RefundRefusalCode,
  type refundClearingCompletionNotification,
  type refundCommission,
  type refundReceipt,
  type SpRefundInformationBody,
  type temporaryRefundReceipt,
  type userRefundReceipt,
} from './refund.messages.js';
import { heldByAnother, holderAccount, holderAccountToOpen, purchaseOf, purchaseTransactionNumber } from './refund-credit.js';
import { REFUND_TASKS, type RefundRequested } from './refund-request.js';
import { TicketRefundEntity } from './ticket-refund.entity.js';

export type PrepareRefundResult = { readonly outcome: 'requested'; readonly requestNumber: string; readonly customerNumber: string } | { readonly outcome: 'refused'; readonly responseCode: RefundRefusalCode };
/**
 * What a refund clearing request pays back: the purchase's clearing (its TPS transaction number), the amount, and the
 * holder's user clearing account when the ticket was transferred (absent: the purchase's payer).
 */
export type RefundClearingTarget = Pick<RefundClearingFields, 'transactionNumber' | 'amount' | 'userClearingAccount'>;
/** The clearing and the accounts to open at the TPS before it (the holder's card account, if not yet open). */
interface ClearingPlan {
  readonly clearing: RefundClearingTarget;
  readonly accountsToOpen: AccountOpenFields[];
  readonly tpsId: string;
}
export type CommissionedResult =
  | ({ readonly outcome: 'immediate' } & ClearingPlan)
  | ({ readonly outcome: 'delayed'; readonly temporaryReceipt: string } & ClearingPlan)
  | { readonly outcome: 'invalid'; readonly reason: string };
export interface PackedResult {
  readonly fields: string;
}
export type ReceiptedResult = { readonly outcome: 'receipted'; readonly deliverNow: boolean; readonly receipt: string } | { readonly outcome: 'invalid'; readonly reason: string };

/**
 * [1735]: before the issuer is asked to cancel anything, the service provider checks its own lists: a ticket the
 * registered list shows entered or exhausted is used and is refused here (safe reading: the SP must not ask for the
 * refund of a used ticket), as is one already refunded, or one installed from a card (paid outside the clearing).
 */
async function prepare(services: PluginServices, em: EntityManager, input: { pg: string; refund: RefundRequested }): Promise<PrepareRefundResult> {
  const { refund } = input;
  const ticket = await em.getRepository(RegisteredTicketEntity).findOneBy({ ticketId: refund.ticketId });
  if (ticket === null || ticket.userId !== refund.userId) return { outcome: 'refused', responseCode: 'unknown-ticket' };
  if (ticket.lifecycle === 'refunded') return { outcome: 'refused', responseCode: 'already-refunded' };
  const status = ticketStatus.safeParse(ticket.status);
  if (!status.success || status.data.use !== 'unused') return { outcome: 'refused', responseCode: 'ticket-used' };
  if ((await em.getRepository(TicketIssuedDataEntity).findOneBy({ ticketId: refund.ticketId }))?.origin === 'installation') return { outcome: 'refused', responseCode: 'not-refundable' };
  const purchase = await purchaseOf(em, ticket);
  // A transferred ticket is refunded to its holder's card account under the purchase's payment service code: without
  // the purchase, the SP cannot name that account, and refunding the buyer instead would pay someone who gave it away.
  if (purchase === null && heldByAnother(ticket, purchase)) return { outcome: 'refused', responseCode: 'not-refundable' };
  const now = services.clock.now();
  const customerNumber = await customerNumberIn(em, services.crypto, refund.issuerId, refund.userId, now);
  const requestNumber = services.newId();
  await em.getRepository(TicketRefundEntity).insert({
    requestNumber,
    processGroup: input.pg,
    ticketId: refund.ticketId,
    userId: refund.userId,
    issuerId: refund.issuerId,
    modificationNumber: refund.modificationNumber,
    purchaseTransactionNumber: purchaseTransactionNumber(ticket, purchase),
    transactionNumber: null,
    amount: null,
    currency: null,
    clearingOption: null,
    status: 'requested',
    clearingNumber: null,
    clearingInformation: null,
    finalReceipt: null,
    createdAt: now,
    updatedAt: now,
  });
  return { outcome: 'requested', requestNumber, customerNumber };
}

/** [1750], [1757]: the refunded ticket leaves the user ticket list; the registered ticket list marks it refunded. */
async function eraseTicket(em: EntityManager, ticketId: string, now: number): Promise<void> {
  await em.getRepository(RegisteredTicketEntity).update({ ticketId }, { lifecycle: 'refunded', updatedAt: now });
}

function spRefundInformation(services: PluginServices, row: TicketRefundEntity, stage: SpRefundInformationBody['stage']): Uint8Array {
  const body: SpRefundInformationBody = {
    ticketId: row.ticketId,
    modificationNumber: row.modificationNumber,
    requestNumber: row.requestNumber,
    transactionNumber: row.transactionNumber ?? '0',
    refundAmount: { amount: row.amount ?? 0, currency: row.currency ?? 'XXX' },
    clearingOption: row.clearingOption ?? 'delayed',
    stage,
    userId: row.userId,
    serviceProviderId: services.spId,
    issuedAt: services.clock.now(),
  };
  return signPart(services.envelope, SP_REFUND_INFORMATION_TYPE, body, [services.spSigner]);
}

/** [1755]-[1757]: the delayed path: erase now, the temporary refund receipt 8307 at once, the clearing in the batch. */
async function deferToBatch(services: PluginServices, em: EntityManager, row: TicketRefundEntity): Promise<string> {
  const now = services.clock.now();
  await eraseTicket(em, row.ticketId, now);
  const waiting = { ...row, status: 'awaiting-batch' as const, updatedAt: now };
  await em.getRepository(TicketRefundEntity).save(waiting);
  const fields: FieldsOf<typeof temporaryRefundReceipt> = {
    userId: row.userId,
    refundInformation: spRefundInformation(services, waiting, 'temporary'),
    refundAmount: { amount: row.amount ?? 0, currency: row.currency ?? 'XXX' },
    requestNumber: row.requestNumber,
    transactionNumber: row.transactionNumber ?? '0',
    serviceProviderId: services.spId,
  };
  return pack(fields);
}

/** [1739]: the refund commission 8206 / 8306 must be for this request and ticket; its clearing option picks the path. */
async function commissioned(services: PluginServices, cards: CardSettings, em: EntityManager, input: { requestNumber: string; commission: FieldsOf<typeof refundCommission> }): Promise<CommissionedResult> {
  const row = await em.getRepository(TicketRefundEntity).findOneByOrFail({ requestNumber: input.requestNumber });
  const { commission } = input;
  if (commission.requestNumber !== row.requestNumber || commission.ticketId !== row.ticketId || commission.ticketIssuerId !== row.issuerId) return { outcome: 'invalid', reason: 'refund commission is for another refund' };
  const updated = { ...row, transactionNumber: commission.transactionNumber, amount: commission.refundAmount.amount, currency: commission.refundAmount.currency, clearingOption: commission.clearingOption, status: 'commissioned' as const, updatedAt: services.clock.now() };
  await em.getRepository(TicketRefundEntity).save(updated);
  const purchase = await purchaseOfRefund(em, row);
  const plan: ClearingPlan = { clearing: refundClearingOf(updated, holderAccount(row.userId, purchase)), accountsToOpen: await holderAccountToOpen(em, row.userId, purchase, cards), tpsId: services.tpsId };
  if (commission.clearingOption === 'delayed') return { outcome: 'delayed', temporaryReceipt: await deferToBatch(services, em, updated), ...plan };
  return { outcome: 'immediate', ...plan };
}

async function purchaseOfRefund(em: EntityManager, row: TicketRefundEntity): ReturnType<typeof purchaseOf> {
  const ticket = await em.getRepository(RegisteredTicketEntity).findOneByOrFail({ ticketId: row.ticketId });
  return purchaseOf(em, ticket);
}

/** Refund clearing request 8207 / 8309 [1742]: pays (part of) the purchase's clearing back, issuer to the ticket's holder. */
function refundClearingOf(row: TicketRefundEntity, userClearingAccount: string | undefined): RefundClearingTarget {
  return { transactionNumber: row.purchaseTransactionNumber, amount: { amount: row.amount ?? 0, currency: row.currency ?? 'XXX' }, ...(userClearingAccount === undefined ? {} : { userClearingAccount }) };
}

/** [1745]-[1746], [1750]: the clearing is recorded, the ticket erased, and 8209 / 8311 made for the issuer. */
async function cleared(services: PluginServices, em: EntityManager, input: { requestNumber: string; customerNumber: string; outcome: Extract<RefundOutcome, { result: 'cleared' }> }): Promise<PackedResult> {
  const row = await em.getRepository(TicketRefundEntity).findOneByOrFail({ requestNumber: input.requestNumber });
  const now = services.clock.now();
  const amount = { amount: row.amount ?? 0, currency: row.currency ?? 'XXX' };
  const information = signPart(
    services.envelope,
    REFUND_CLEARING_INFORMATION_TYPE,
    { clearingNumber: input.outcome.clearingNumber, transactionProcessorId: services.tpsId, refundAmount: amount, requestNumber: row.requestNumber, transactionNumber: row.transactionNumber ?? '0', purchaseTransactionNumber: row.purchaseTransactionNumber, clearedAt: input.outcome.clearedAt },
    [services.spSigner],
  );
  await em.getRepository(TicketRefundEntity).save({ ...row, status: 'cleared', clearingNumber: input.outcome.clearingNumber, clearingInformation: toBase64(information), updatedAt: now });
  await eraseTicket(em, row.ticketId, now);
  const credited = holderAccount(row.userId, await purchaseOfRefund(em, row));
  // The refund went through, so the holder's card account exists: a later purchase need not open it.
  if (credited !== undefined) await markAccountsOpen(em, [{ account: credited, owner: row.userId }], now);
  const fields: FieldsOf<typeof refundClearingCompletionNotification> = {
    clearingNumber: input.outcome.clearingNumber,
    customerNumber: input.customerNumber,
    ticketIssuerId: row.issuerId,
    refundAmount: amount,
    clearingOption: row.clearingOption ?? 'immediate',
    requestNumber: row.requestNumber,
    transactionNumber: row.transactionNumber ?? '0',
    clearingInformation: information,
    transactionProcessorId: services.tpsId,
    serviceProviderId: services.spId,
  };
  return { fields: pack(fields) };
}

/**
 * [1749]-[1753], [1763]-[1764]: the issuer's refund receipt 8210 / 8312 (its refund information signed by the issuer,
 * for this refund) becomes the user's refund receipt 8211: sent now on the immediate path, kept for the next data
 * update 8313 on the delayed path.
 */
async function receipted(services: PluginServices, em: EntityManager, input: { requestNumber: string; receipt: FieldsOf<typeof refundReceipt> }): Promise<ReceiptedResult> {
  const row = await em.getRepository(TicketRefundEntity).findOneByOrFail({ requestNumber: input.requestNumber });
  const { receipt } = input;
  const issuerKey = await services.identity.signingKey(row.issuerId, services.clock.now());
  if (!issuerKey.usable) return { outcome: 'invalid', reason: `issuer key: ${issuerKey.reason}` };
  const information = openPart(services.envelope, ISSUER_REFUND_INFORMATION_TYPE, receipt.refundInformation, issuerRefundInformationBody, [row.issuerId], (kid) => (kid === row.issuerId ? issuerKey.publicKey : undefined));
  if (!information.ok) return { outcome: 'invalid', reason: information.reason };
  if (receipt.requestNumber !== row.requestNumber || receipt.transactionNumber !== row.transactionNumber || information.body.ticketId !== row.ticketId || receipt.clearingNumber !== row.clearingNumber) {
    return { outcome: 'invalid', reason: 'refund receipt is for another refund' };
  }
  const fields: FieldsOf<typeof userRefundReceipt> = {
    userId: row.userId,
    refundReceipt: {
      refundInformation: receipt.refundInformation,
      refundAmount: receipt.refundAmount,
      requestNumber: receipt.requestNumber,
      transactionNumber: receipt.transactionNumber,
      clearingNumber: receipt.clearingNumber,
      transactionProcessorId: receipt.transactionProcessorId,
      ticketIssuerId: receipt.ticketIssuerId,
    },
    clearingInformation: fromBase64(row.clearingInformation ?? ''),
    refundInformation: spRefundInformation(services, row, 'final'),
    serviceProviderId: services.spId,
  };
  const packed = pack(fields);
  const deliverNow = row.clearingOption === 'immediate';
  await em.getRepository(TicketRefundEntity).save({ ...row, status: 'receipted', finalReceipt: deliverNow ? null : packed, updatedAt: services.clock.now() });
  return { outcome: 'receipted', deliverNow, receipt: packed };
}

/** The tasks of the refund director, each transactional and keyed (a rerun answers the same and writes nothing twice). */
export function refundTasks(services: PluginServices, cards: CardSettings): Record<string, TaskHandler> {
  const task = <I, R>(work: (input: I, em: EntityManager) => Promise<R>) => transactionalTask<I, R>(services.dataSource, services.clock, work);
  const audit = (em: EntityManager, input: { pg: string; userId: string; reason: string; message: string }, category: 'refusal' | 'alert') =>
    auditTicketEvent(em, { at: services.clock.now(), category, reason: input.reason, principal: input.userId, pg: input.pg, message: input.message });
  return {
    [REFUND_TASKS.prepare]: task(async (input: { pg: string; refund: RefundRequested }, em) => {
      const result = await prepare(services, em, input);
      if (result.outcome === 'refused') await audit(em, { pg: input.pg, userId: input.refund.userId, reason: 'ticket-refund-refused', message: `refund of ${input.refund.ticketId} refused: ${result.responseCode}` }, 'refusal');
      return result;
    }),
    [REFUND_TASKS.commissioned]: task(async (input: { pg: string; userId: string; requestNumber: string; commission: FieldsOf<typeof refundCommission> }, em) => {
      const result = await commissioned(services, cards, em, input);
      if (result.outcome === 'invalid') await audit(em, { pg: input.pg, userId: input.userId, reason: 'ticket-refund-commission', message: `refund commission not usable: ${result.reason}` }, 'alert');
      return result;
    }),
    [REFUND_TASKS.defer]: task(async (input: { pg: string; userId: string; requestNumber: string; reason: string }, em) => {
      await audit(em, { pg: input.pg, userId: input.userId, reason: 'ticket-refund-clearing', message: `refund clearing refused (${input.reason}): left to the delayed clearing batch` }, 'alert');
      const row = await em.getRepository(TicketRefundEntity).findOneByOrFail({ requestNumber: input.requestNumber });
      return { fields: await deferToBatch(services, em, { ...row, clearingOption: 'delayed' }) };
    }),
    [REFUND_TASKS.cleared]: task((input: { requestNumber: string; customerNumber: string; outcome: Extract<RefundOutcome, { result: 'cleared' }> }, em) => cleared(services, em, input)),
    [REFUND_TASKS.receipted]: task(async (input: { pg: string; userId: string; requestNumber: string; receipt: FieldsOf<typeof refundReceipt> }, em) => {
      const result = await receipted(services, em, input);
      if (result.outcome === 'invalid') await audit(em, { pg: input.pg, userId: input.userId, reason: 'ticket-refund-receipt', message: `refund receipt not usable: ${result.reason}` }, 'alert');
      return result;
    }),
    [REFUND_TASKS.alert]: task(async (input: { pg: string; userId: string; message: string }, em) => {
      await audit(em, { pg: input.pg, userId: input.userId, reason: 'ticket-refund-clearing', message: input.message }, 'alert');
      return { alerted: true };
    }),
  };
}
