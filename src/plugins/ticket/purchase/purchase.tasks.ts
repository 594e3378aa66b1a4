import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { fromBase64, toBase64 } from '../../../common/bytes.js';
import { transactionalTask } from '../../../core/transactional-task.js';
import type { AccountOpenFields, ClearingItem, ClearingOutcome } from '../../../external/transaction-processing/tps-messages.js';
import type { FieldsOf } from '../../../protocol/message.js';
import { openPart, signPart } from '../../../protocol/signed-part.js';
import type { PluginServices } from '../../plugin.contract.js';
import { generateElectronicTicket } from '../generation/generate-electronic-ticket.js';
import { TicketIssuedDataEntity } from '../modification/ticket-issued-data.entity.js';
import { newTicketManagement } from '../generation/ticket-management-keys.js';
import type { ElectronicTicket } from '../model/electronic-ticket.js';
import { TICKET_DATA_TYPE, ticketDataBody } from '../model/ticket-information.js';
import { templateOf } from '../model/ticket-templates.js';
import { RegisteredTicketEntity } from '../persistence/registered-ticket.entity.js';
import { TicketManagementEntity } from '../persistence/ticket-management.entity.js';
import { accountsToOpen, issuerClearingAccount, markAccountsOpen, userClearingAccount, type CardSettings } from './clearing-accounts.js';
import { pack, unpack, type PackedMessage } from './director-kit.js';
import {
  CLEARING_INFORMATION_TYPE,
  electronicTicketIssuingCommission,
  FINAL_RECEIPT_TYPE,
  ISSUER_TICKET_ISSUING_INFORMATION_TYPE,
  issuerTicketIssuingInformationBody,
  issuerTicketReceipt,
  STANDARD_PURCHASE_RESPONSE_MESSAGES,
  TICKET_ISSUING_INFORMATION_TYPE,
  type ClearingInformationBody,
  type TicketIssuingInformationBody,
  type TicketPurchaseReceiptFields,
  type TicketPurchaseResponseCode,
} from './purchase.messages.js';
import { clearingNumbers, PURCHASE_TASKS, type TicketPurchaseRequest } from './purchase-request.js';
import { TicketPurchaseEntity } from './persistence/ticket-purchase.entity.js';

type Commission = FieldsOf<typeof electronicTicketIssuingCommission>;
interface StoredTickets {
  readonly tickets: ElectronicTicket[];
  readonly rows: Record<string, unknown>[];
}

export type CommissionResult =
  | { readonly outcome: 'invalid'; readonly reason: string; readonly transactionNumber: string }
  | { readonly outcome: 'spontaneous'; readonly transactionNumber: string; readonly accountsToOpen: AccountOpenFields[]; readonly clearing: ClearingItem }
  | { readonly outcome: 'delayed'; readonly transactionNumber: string; readonly toUser: PackedMessage[] };

export type ClearedResult = { readonly outcome: 'cleared'; readonly completion: string } | { readonly outcome: 'refused'; readonly refusal: string; readonly cancellation: string };

const endOfDay = (date: string): number => Date.parse(`${date}T23:59:59.999Z`);

/** The tasks of the ticket purchase director: each checks, writes and answers in one transaction, once per key. */
export function purchaseTasks(services: PluginServices, cards: CardSettings): Record<string, (input: unknown, key: string) => Promise<unknown>> {
  const { dataSource, clock, envelope, crypto, spSigner, spId, tpsId } = services;
  const deps = { envelope, crypto, spSigner };

  async function issuerKey(issuerId: string): Promise<Uint8Array | undefined> {
    const key = await services.identity.signingKey(issuerId, clock.now());
    return key.usable ? key.publicKey : undefined;
  }

  function spPart(type: string, body: unknown): Uint8Array {
    return signPart(envelope, type, body, [spSigner]);
  }

  async function purchaseOf(em: EntityManager, pg: string): Promise<TicketPurchaseEntity> {
    return em.getRepository(TicketPurchaseEntity).findOneByOrFail({ pg });
  }

  /** New rows (their ticket IDs were checked unregistered in the commission): one INSERT, not save()'s SELECT and INSERT each. */
  async function deliverRows(em: EntityManager, stored: StoredTickets): Promise<void> {
    if (stored.rows.length > 0) await em.getRepository(RegisteredTicketEntity).insert(stored.rows as QueryDeepPartialEntity<RegisteredTicketEntity>[]);
    // What each ticket was generated from, so a modification that changes only the template can generate it again.
    const issuedData = stored.tickets.map((ticket) => ({ ticketId: ticket.ticketId, ticketData: toBase64(ticket.presentationTicket), representativeComponent: ticket.representativeComponent, origin: 'purchase' as const, updatedAt: clock.now() }));
    if (issuedData.length > 0) await em.getRepository(TicketIssuedDataEntity).insert(issuedData);
  }

  function issuingInformation(purchase: TicketPurchaseEntity, ticketIds: string[], cleared: boolean): Uint8Array {
    const body: TicketIssuingInformationBody = {
      serviceProviderId: spId,
      userId: purchase.userId,
      requestNumber: purchase.requestNumber,
      transactionNumber: purchase.transactionNumber,
      ticketIds,
      paymentValue: { amount: purchase.amount, currency: purchase.currency },
      clearing: purchase.clearing,
      cleared,
      issuedAt: clock.now(),
    };
    return spPart(TICKET_ISSUING_INFORMATION_TYPE, body);
  }

  function ticketsMessage(purchase: TicketPurchaseEntity, stored: StoredTickets): PackedMessage {
    return {
      messageType: 'electronicTicketIssuing',
      fields: pack({ transactionNumber: purchase.transactionNumber, requestNumber: purchase.requestNumber, ticketCount: stored.tickets.length, electronicTickets: stored.tickets, serviceProviderId: spId }),
    };
  }

  /** 5903 checked and turned into tickets [1586], [1602]-[1605], [1608]. */
  async function commission(input: { pg: string; request: TicketPurchaseRequest; commission: string }, em: EntityManager): Promise<CommissionResult> {
    const { request } = input;
    const parsed = electronicTicketIssuingCommission.fields.safeParse(unpack(input.commission));
    if (!parsed.success) return { outcome: 'invalid', reason: 'commission does not match its schema', transactionNumber: '0' };
    const fields: Commission = parsed.data;
    const invalid = (reason: string): CommissionResult => ({ outcome: 'invalid', reason, transactionNumber: fields.transactionNumber });
    if (fields.ticketIssuerId !== request.issuerId || fields.requestNumber !== request.requestNumber) return invalid('commission is not for this purchase order');
    if (fields.salesValue.amount !== request.paymentValue.amount || fields.salesValue.currency !== request.paymentValue.currency) return invalid('sales value differs from the payment value');
    if (templateOf(fields.templateCode) === undefined) return invalid(`no electronic ticket template ${fields.templateCode}`);
    const key = await issuerKey(request.issuerId);
    const data = [];
    for (const part of fields.ticketData) {
      const opened = openPart(envelope, TICKET_DATA_TYPE, part, ticketDataBody, [request.issuerId], (kid) => (kid === request.issuerId ? key : undefined));
      if (!opened.ok) return invalid(opened.reason);
      if (opened.body.ticketCode !== fields.ticketCode || opened.body.issuerId !== request.issuerId) return invalid(`ticket data ${opened.body.ticketId} is not a ${fields.ticketCode} of ${request.issuerId}`);
      if ((await em.getRepository(RegisteredTicketEntity).findOneBy({ ticketId: opened.body.ticketId })) !== null) return invalid(`ticket ${opened.body.ticketId} was issued before`);
      data.push({ bytes: part, body: opened.body });
    }
    const now = clock.now();
    let management = await em.getRepository(TicketManagementEntity).findOneBy({ ticketCode: fields.ticketCode });
    if (management !== null && management.issuerId !== request.issuerId) return invalid(`ticket code ${fields.ticketCode} belongs to ${management.issuerId}`);
    if (management === null) {
      const first = data[0]?.body.information;
      management = newTicketManagement(crypto, { ticketCode: fields.ticketCode, ticketName: first?.title ?? fields.ticketCode, issuerId: request.issuerId, templateCode: fields.templateCode, validUntil: endOfDay(first?.date ?? '2099-12-31'), now });
      await em.getRepository(TicketManagementEntity).insert(management);
    }
    const purchaseRef = { requestNumber: request.requestNumber, transactionNumber: fields.transactionNumber, clearing: fields.clearingOption };
    const generated = data.map((item) => generateElectronicTicket(deps, { management: management, ticketData: item.bytes, holder: request.userId, representativeComponent: fields.representativeComponent, purchase: purchaseRef, now }));
    const stored: StoredTickets = { tickets: generated.map((item) => item.ticket), rows: generated.map((item) => ({ ...item.row })) };
    const purchase = Object.assign(new TicketPurchaseEntity(), {
      pg: input.pg,
      userId: request.userId,
      issuerId: request.issuerId,
      customerNumber: request.customerNumber,
      requestNumber: request.requestNumber,
      transactionNumber: fields.transactionNumber,
      clearing: fields.clearingOption,
      state: fields.clearingOption === 'delayed' ? 'awaiting-batch' : 'commissioned',
      payerAccount: userClearingAccount(request.userId, request.paymentServiceCode),
      payeeAccount: issuerClearingAccount(request.issuerId),
      amount: request.paymentValue.amount,
      currency: request.paymentValue.currency,
      paymentServiceCode: request.paymentServiceCode,
      paymentOptionCode: request.paymentOptionCode,
      tickets: pack(stored),
      clearingNumber: null,
      clearingInformation: null,
      finalReceipt: null,
      batchPg: null,
      createdAt: now,
      updatedAt: now,
    });
    await em.getRepository(TicketPurchaseEntity).insert(purchase);
    if (fields.clearingOption === 'delayed') {
      // [1608]-[1612]: the ticket goes to the user at once with a temporary receipt; clearing follows in the batch.
      await deliverRows(em, stored);
      const temporary = {
        userId: request.userId,
        ticketIssuingInformation: issuingInformation(purchase, generated.map((item) => item.ticketData.ticketId), false),
        paymentServiceCode: request.paymentServiceCode,
        paymentValue: request.paymentValue,
        paymentOptionCode: request.paymentOptionCode,
        requestNumber: request.requestNumber,
        transactionNumber: fields.transactionNumber,
        serviceProviderId: spId,
      };
      return { outcome: 'delayed', transactionNumber: fields.transactionNumber, toUser: [ticketsMessage(purchase, stored), { messageType: 'temporaryTicketReceipt', fields: pack(temporary) }] };
    }
    return { outcome: 'spontaneous', transactionNumber: fields.transactionNumber, accountsToOpen: await accountsToOpen(em, clearingParties(purchase), cards), clearing: clearingItemOf(purchase) };
  }

  /** 5905 / 6008 taken in: the clearing information for the issuer (5906), or the cancellation of the commission. */
  async function cleared(input: { pg: string; outcome: ClearingOutcome }, em: EntityManager): Promise<ClearedResult> {
    const purchase = await purchaseOf(em, input.pg);
    const now = clock.now();
    if (input.outcome.result === 'refused') {
      await em.getRepository(TicketPurchaseEntity).update({ pg: purchase.pg }, { state: 'cancelling', updatedAt: now });
      const cancellation = { requestNumber: purchase.requestNumber, transactionNumber: purchase.transactionNumber, customerNumber: purchase.customerNumber, reason: `clearing refused: ${input.outcome.refusal}`, serviceProviderId: spId };
      return { outcome: 'refused', refusal: input.outcome.refusal, cancellation: pack(cancellation) };
    }
    // The reference TPS signs its whole answer, not separate clearing information parts: the SP attests what it verified.
    const information: ClearingInformationBody = {
      clearingNumber: input.outcome.clearingNumber,
      transactionProcessorId: tpsId,
      userClearingAccount: purchase.payerAccount,
      ticketIssuerClearingAccount: purchase.payeeAccount,
      paymentValue: { amount: purchase.amount, currency: purchase.currency },
      requestNumber: purchase.requestNumber,
      transactionNumber: purchase.transactionNumber,
      clearedAt: input.outcome.clearedAt,
    };
    const clearingInformation = spPart(CLEARING_INFORMATION_TYPE, information);
    await em.getRepository(TicketPurchaseEntity).update({ pg: purchase.pg }, { state: 'cleared', clearingNumber: information.clearingNumber, clearingInformation: toBase64(clearingInformation), updatedAt: now });
    await markAccountsOpen(em, [{ account: purchase.payerAccount, owner: purchase.userId }, { account: purchase.payeeAccount, owner: purchase.issuerId }], now);
    const completion = {
      clearingNumber: information.clearingNumber,
      customerNumber: purchase.customerNumber,
      ticketIssuerId: purchase.issuerId,
      paymentServiceCode: purchase.paymentServiceCode,
      paymentValue: information.paymentValue,
      paymentOptionCode: purchase.paymentOptionCode,
      requestNumber: purchase.requestNumber,
      transactionNumber: purchase.transactionNumber,
      clearingInformation,
      transactionProcessorId: tpsId,
      serviceProviderId: spId,
    };
    return { outcome: 'cleared', completion: pack(completion) };
  }

  /** 5907 / 6010 taken in: tickets and receipt to the user (spontaneous), or the final receipt kept for 6011 (delayed). */
  async function receipt(input: { pg: string; receipt: string }, em: EntityManager): Promise<{ toUser: PackedMessage[] }> {
    const purchase = await purchaseOf(em, input.pg);
    const fields = issuerTicketReceipt.fields.parse(unpack(input.receipt));
    const key = await issuerKey(purchase.issuerId);
    const issued = openPart(envelope, ISSUER_TICKET_ISSUING_INFORMATION_TYPE, fields.ticketIssuingInformation, issuerTicketIssuingInformationBody, [purchase.issuerId], (kid) => (kid === purchase.issuerId ? key : undefined));
    if (!issued.ok || issued.body.transactionNumber !== purchase.transactionNumber) throw new Error(`receipt of ${purchase.pg}: ${issued.ok ? 'for another transaction' : issued.reason}`);
    const stored = unpack(purchase.tickets) as StoredTickets;
    const receiptFields: TicketPurchaseReceiptFields = {
      userId: purchase.userId,
      receipt: {
        customerNumber: fields.customerNumber,
        ticketIssuingInformation: fields.ticketIssuingInformation,
        paymentServiceCode: fields.paymentServiceCode,
        paymentValue: fields.paymentValue,
        paymentOptionCode: fields.paymentOptionCode,
        requestNumber: fields.requestNumber,
        transactionNumber: fields.transactionNumber,
        clearingNumber: purchase.clearingNumber ?? 0,
        transactionProcessorId: fields.transactionProcessorId,
        ticketIssuerId: fields.ticketIssuerId,
      },
      clearingInformation: fromBase64(purchase.clearingInformation ?? ''),
      ticketIssuingInformation: issuingInformation(purchase, stored.tickets.map((ticket) => ticket.ticketId), true),
      serviceProviderId: spId,
    };
    const now = clock.now();
    if (purchase.clearing === 'delayed') {
      // [1618]: not sent now; the user processor puts it in the next data update, replacing the temporary receipt.
      const finalReceipt = toBase64(spPart(FINAL_RECEIPT_TYPE, receiptFields));
      await em.getRepository(TicketPurchaseEntity).update({ pg: purchase.pg }, { state: 'completed', finalReceipt, tickets: pack({ tickets: [], rows: [] }), updatedAt: now });
      return { toUser: [] };
    }
    await deliverRows(em, stored);
    await em.getRepository(TicketPurchaseEntity).update({ pg: purchase.pg }, { state: 'completed', tickets: pack({ tickets: [], rows: [] }), updatedAt: now });
    return { toUser: [ticketsMessage(purchase, stored), { messageType: 'ticketPurchaseReceipt', fields: pack(receiptFields) }] };
  }

  /** The commission cancelled at the issuer: the user is told, and a delayed ticket leaves the user ticket list. */
  async function cancelled(input: { pg: string; request: TicketPurchaseRequest; responseCode: TicketPurchaseResponseCode }, em: EntityManager): Promise<{ toUser: PackedMessage[] }> {
    const purchase = await em.getRepository(TicketPurchaseEntity).findOneBy({ pg: input.pg });
    if (purchase !== null) {
      const stored = unpack(purchase.tickets) as StoredTickets;
      if (purchase.clearing === 'delayed') for (const ticket of stored.tickets) await em.getRepository(RegisteredTicketEntity).delete({ ticketId: ticket.ticketId, userId: purchase.userId });
      await em.getRepository(TicketPurchaseEntity).update({ pg: purchase.pg }, { state: 'cancelled', tickets: pack({ tickets: [], rows: [] }), updatedAt: clock.now() });
    }
    const response = { responseCode: input.responseCode, responseMessage: STANDARD_PURCHASE_RESPONSE_MESSAGES[input.responseCode], requestNumber: input.request.requestNumber, transactionNumber: '0', serviceProviderId: spId };
    return { toUser: [{ messageType: 'ticketPurchaseResponse', fields: pack(response) }] };
  }

  /** The delayed clearings waiting for the batch ([1620]: "once a day"), taken by one batch. */
  async function collectBatch(input: { pg: string }, em: EntityManager): Promise<{ purchases: string[]; items: ClearingItem[]; accountsToOpen: AccountOpenFields[] }> {
    const waiting = await em.getRepository(TicketPurchaseEntity).find({ where: { state: 'awaiting-batch' }, order: { createdAt: 'ASC' }, take: 500 });
    const opens = new Map<string, AccountOpenFields>();
    for (const purchase of waiting) {
      await em.getRepository(TicketPurchaseEntity).update({ pg: purchase.pg }, { state: 'batched', batchPg: input.pg, updatedAt: clock.now() });
      for (const fields of await accountsToOpen(em, clearingParties(purchase), cards)) opens.set(fields.account, fields);
    }
    return { purchases: waiting.map((purchase) => purchase.pg), items: waiting.map(clearingItemOf), accountsToOpen: [...opens.values()] };
  }

  const task = <I, R>(work: (input: I, em: EntityManager) => Promise<R>) => transactionalTask<I, R>(dataSource, clock, (input, em) => work(input, em));
  return {
    [PURCHASE_TASKS.commission]: task(commission),
    [PURCHASE_TASKS.cleared]: task(cleared),
    [PURCHASE_TASKS.receipt]: task(receipt),
    [PURCHASE_TASKS.cancelled]: task(cancelled),
    [PURCHASE_TASKS.collectBatch]: task(collectBatch),
  };
}

function clearingParties(purchase: TicketPurchaseEntity) {
  return { payer: purchase.payerAccount, payee: purchase.payeeAccount, userId: purchase.userId, issuerId: purchase.issuerId, currency: purchase.currency, paymentServiceCode: purchase.paymentServiceCode };
}

/** The clearing request 9324 of a purchase (5904 spontaneous, 6007 in the batch) [1589]. */
function clearingItemOf(purchase: TicketPurchaseEntity): ClearingItem {
  return {
    ...clearingNumbers(purchase),
    payer: purchase.payerAccount,
    payee: purchase.payeeAccount,
    amount: { amount: purchase.amount, currency: purchase.currency },
    description: `tickets ${purchase.transactionNumber} (${purchase.paymentOptionCode})`.slice(0, 200),
  };
}
