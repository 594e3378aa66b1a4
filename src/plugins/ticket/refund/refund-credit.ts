import type { EntityManager } from 'typeorm';
import type { AccountOpenFields } from '../../../external/transaction-processing/tps-messages.js';
import type { RegisteredTicketEntity } from '../persistence/registered-ticket.entity.js';
import { accountsToOpen, userClearingAccount, type CardSettings } from '../purchase/clearing-accounts.js';
import { TicketPurchaseEntity } from '../purchase/persistence/ticket-purchase.entity.js';
import { clearingNumbers } from '../purchase/purchase-request.js';

type TicketOrigin = Pick<RegisteredTicketEntity, 'userId' | 'issuerId' | 'requestNumber' | 'transactionNumber' | 'formerUsers'>;

/** The purchase that issued a ticket (none for a ticket installed from a card). */
export function purchaseOf(em: EntityManager, ticket: Pick<TicketOrigin, 'issuerId' | 'transactionNumber' | 'requestNumber'>): Promise<TicketPurchaseEntity | null> {
  return em.getRepository(TicketPurchaseEntity).findOneBy({ issuerId: ticket.issuerId, transactionNumber: ticket.transactionNumber, requestNumber: ticket.requestNumber });
}

/** Whether the ticket is held by someone other than its buyer (it was transferred, [1690]). */
export function heldByAnother(ticket: TicketOrigin, purchase: TicketPurchaseEntity | null): boolean {
  return ticket.formerUsers.length > 0 || (purchase !== null && purchase.userId !== ticket.userId);
}

/**
 * The TPS transaction number of the clearing the refund pays back: the purchase's, named after the buyer (the first of
 * the former-user chain, or the purchase row), never after the current holder.
 */
export function purchaseTransactionNumber(ticket: TicketOrigin, purchase: TicketPurchaseEntity | null): string {
  const buyer = purchase?.userId ?? ticket.formerUsers[0]?.userId ?? ticket.userId;
  return clearingNumbers(purchase ?? { userId: buyer, requestNumber: ticket.requestNumber, issuerId: ticket.issuerId, transactionNumber: ticket.transactionNumber }).transactionNumber;
}

/**
 * The user clearing account 13213 the refund clearing 8207 [1742] credits: the holder's card account under the payment
 * service code the purchase was paid with (named as the purchase names the payer's). Undefined when that is the
 * purchase's payer (the ticket never changed hands): the TPS then credits the original payer, as it always did.
 */
export function holderAccount(holderId: string, purchase: TicketPurchaseEntity | null): string | undefined {
  if (purchase === null) return undefined;
  const account = userClearingAccount(holderId, purchase.paymentServiceCode);
  return account === purchase.payerAccount ? undefined : account;
}

/** The holder's account open request, when the SP has not yet seen that account open at the TPS (as a purchase opens it). */
export async function holderAccountToOpen(em: EntityManager, holderId: string, purchase: TicketPurchaseEntity | null, cards: CardSettings): Promise<AccountOpenFields[]> {
  const account = holderAccount(holderId, purchase);
  if (account === undefined || purchase === null) return [];
  const wanted = await accountsToOpen(em, { payer: account, payee: purchase.payeeAccount, userId: holderId, issuerId: purchase.issuerId, currency: purchase.currency, paymentServiceCode: purchase.paymentServiceCode }, cards);
  return wanted.filter((fields) => fields.account === account);
}
