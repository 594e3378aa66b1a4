import type { EntityManager } from 'typeorm';
import type { AccountOpenFields } from '../../../external/transaction-processing/tps-messages.js';
import { issuerClearingAccount } from '../issuer/issuer-options.js';
import { TicketClearingAccountEntity } from './persistence/ticket-clearing-account.entity.js';
import { BoundedCache } from '../../../persistence/bounded-cache.js';
import { perDataSource } from '../../../persistence/per-data-source.js';

/** Credit limits of the users' cards: a default, and per payment service code. */
export interface CardSettings {
  readonly defaultCreditLimit: number;
  readonly creditLimits: Readonly<Record<string, number>>;
}

export const DEFAULT_CARD_SETTINGS: CardSettings = { defaultCreditLimit: 500_000, creditLimits: {} };

/**
 * The user clearing account 9315 behind a payment service code 9104: `card.<user name>.<payment service code>` at the
 * transaction processor. The SP opens it on the user's first purchase with that code (credit limit from the plugin's
 * card settings); the card issuer's own onboarding is outside the spec.
 */
export function userClearingAccount(userId: string, paymentServiceCode: string): string {
  return `card.${userId.slice('usr:'.length)}.${paymentServiceCode}`;
}

export { issuerClearingAccount };

const REMEMBERED_ACCOUNTS = 100_000;
/**
 * Accounts this process has seen open, per database: an account once open at the transaction processor stays open, so
 * a purchase asks the table only about accounts it has not met yet.
 */
const seenOpenIn = perDataSource(() => new BoundedCache<string, true>(REMEMBERED_ACCOUNTS));

async function isRecordedOpen(em: EntityManager, account: string): Promise<boolean> {
  const seen = seenOpenIn(em.connection);
  if (seen.get(account) === true) return true;
  if ((await em.getRepository(TicketClearingAccountEntity).findOneBy({ account })) === null) return false;
  seen.set(account, true);
  return true;
}

/**
 * Accounts of a clearing that the SP has not yet seen open, as account open requests. The issuer's account is opened
 * by the SP on the issuer's behalf: the reference TPS takes requests from the SP only (its one trusted party), and
 * the issuer's clearing account is part of the ticket issuer list 5203 the SP keeps.
 */
export async function accountsToOpen(em: EntityManager, clearing: { payer: string; payee: string; userId: string; issuerId: string; currency: string; paymentServiceCode: string }, cards: CardSettings): Promise<AccountOpenFields[]> {
  const wanted: AccountOpenFields[] = [
    { requestNumber: `open:${clearing.payer}`, account: clearing.payer, owner: clearing.userId as AccountOpenFields['owner'], currency: clearing.currency, kind: 'customer', creditLimit: cards.creditLimits[clearing.paymentServiceCode] ?? cards.defaultCreditLimit, initialFunding: 0 },
    { requestNumber: `open:${clearing.payee}`, account: clearing.payee, owner: clearing.issuerId as AccountOpenFields['owner'], currency: clearing.currency, kind: 'issuer', creditLimit: 0, initialFunding: 0 },
  ];
  const open: AccountOpenFields[] = [];
  for (const fields of wanted) if (!(await isRecordedOpen(em, fields.account))) open.push(fields);
  return open;
}

/**
 * Records accounts as open (a clearing that went through proves both exist). Remembered at once: should this
 * transaction roll back, the accounts are still open at the transaction processor, which is all the memo says.
 */
export async function markAccountsOpen(em: EntityManager, accounts: readonly { account: string; owner: string }[], now: number): Promise<void> {
  for (const { account, owner } of accounts) {
    if (!(await isRecordedOpen(em, account))) {
      await em.getRepository(TicketClearingAccountEntity).insert({ account, owner, openedAt: now });
      seenOpenIn(em.connection).set(account, true);
    }
  }
}
