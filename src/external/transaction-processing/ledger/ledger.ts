import type { EntityManager } from 'typeorm';
import type { Clock } from '../../../common/clock.js';
import { invariant } from '../../../protocol/errors.js';
import type { PrincipalId, TpsId } from '../../../protocol/ids.js';
import {
  FUNDING_ACCOUNT_PREFIX,
  MAX_BATCH_ITEMS,
  accountOpenOutcome,
  accountOpenRequest,
  clearingBatchOutcome,
  clearingBatchRequest,
  clearingOutcome,
  clearingRequest,
  refundClearingRequest,
  refundOutcome,
  type AccountOpenFields,
  type AccountOpenOutcome,
  type AccountOpenRefusal,
  type ClearingBatchFields,
  type ClearingBatchOutcome,
  type ClearingItem,
  type ClearingOutcome,
  type ClearingRefusal,
  type RefundClearingFields,
  type RefundOutcome,
  type RefundRefusal,
} from '../tps-messages.js';
import { answerOnce } from './answer-once.js';
import { postEntry } from './journal.js';
import { requestFingerprint } from './request-fingerprint.js';
import { TpsAccount } from './tps-account.entity.js';
import { TpsClearing } from './tps-clearing.entity.js';
import type { TpsDatabase } from './tps-database.js';
import { TpsRequest } from './tps-request.entity.js';

export function fundingAccountId(currency: string): string {
  return `${FUNDING_ACCOUNT_PREFIX}${currency.toLowerCase()}`;
}

/**
 * The transaction processor's double-entry ledger. Each operation is answered once per (sender, request number):
 * expected failures are refusals in the answer, never exceptions.
 */
export class Ledger {
  constructor(
    private readonly db: TpsDatabase,
    private readonly clock: Clock,
    private readonly tpsId: TpsId,
  ) {}

  openAccount(sender: PrincipalId, request: AccountOpenFields): Promise<AccountOpenOutcome> {
    const refuse = (refusal: AccountOpenRefusal): AccountOpenOutcome => ({ requestNumber: request.requestNumber, account: request.account, result: 'refused', refusal });
    return answerOnce(this.db, this.clock, {
      sender,
      requestNumber: request.requestNumber,
      messageType: accountOpenRequest.type,
      fields: request,
      outcome: accountOpenOutcome,
      conflict: () => refuse('conflict'),
      insufficientFunds: () => invariantFailed('funding accounts have no limit'),
      work: async (tx, now) => {
        if (await tx.existsBy(TpsAccount, { id: request.account })) return refuse('account-exists');
        const funding = await this.fundingAccount(tx, request.currency, now);
        const account: TpsAccount = { id: request.account, owner: request.owner, currency: request.currency, kind: request.kind, creditLimit: request.creditLimit, balance: 0, openedAt: now };
        await tx.insert(TpsAccount, account);
        if (request.initialFunding > 0) {
          await postEntry(
            tx,
            { kind: 'funding', sender, requestNumber: request.requestNumber, transactionNumber: null, currency: request.currency, amount: request.initialFunding, description: `opening ${request.account}`, postedAt: now, refundOf: null },
            [
              { account: funding, amount: -request.initialFunding },
              { account, amount: request.initialFunding },
            ],
          );
        }
        return { requestNumber: request.requestNumber, account: request.account, result: 'opened', balance: { amount: request.initialFunding, currency: request.currency } };
      },
    });
  }

  clear(sender: PrincipalId, item: ClearingItem): Promise<ClearingOutcome> {
    const refuse = (refusal: ClearingRefusal): ClearingOutcome => ({ requestNumber: item.requestNumber, transactionNumber: item.transactionNumber, result: 'refused', refusal });
    return answerOnce(this.db, this.clock, {
      sender,
      requestNumber: item.requestNumber,
      messageType: clearingRequest.type,
      fields: item,
      outcome: clearingOutcome,
      conflict: () => refuse('conflict'),
      insufficientFunds: () => refuse('insufficient-funds'),
      work: async (tx, now) => {
        if (item.validUntil !== undefined && now > item.validUntil) return refuse('expired');
        if (item.payer === item.payee) return refuse('same-account');
        const payer = await openAccount(tx, item.payer);
        const payee = await openAccount(tx, item.payee);
        if (payer === undefined || payee === undefined) return refuse('unknown-account');
        if (payer.currency !== item.amount.currency || payee.currency !== item.amount.currency) return refuse('currency-mismatch');
        if (await tx.existsBy(TpsClearing, { sender, transactionNumber: item.transactionNumber })) return refuse('duplicate-transaction');
        const amount = item.amount.amount;
        const entryId = await postEntry(
          tx,
          { kind: 'clearing', sender, requestNumber: item.requestNumber, transactionNumber: item.transactionNumber, currency: item.amount.currency, amount, description: item.description, postedAt: now, refundOf: null },
          [
            { account: payer, amount: -amount },
            { account: payee, amount },
          ],
        );
        await tx.insert(TpsClearing, { sender, transactionNumber: item.transactionNumber, entryId, payer: payer.id, payee: payee.id, currency: item.amount.currency, amount, refunded: 0 });
        return { requestNumber: item.requestNumber, transactionNumber: item.transactionNumber, result: 'cleared', clearingNumber: entryId, clearedAt: now };
      },
    });
  }

  refund(sender: PrincipalId, request: RefundClearingFields): Promise<RefundOutcome> {
    const refuse = (refusal: RefundRefusal): RefundOutcome => ({ requestNumber: request.requestNumber, transactionNumber: request.transactionNumber, result: 'refused', refusal });
    return answerOnce(this.db, this.clock, {
      sender,
      requestNumber: request.requestNumber,
      messageType: refundClearingRequest.type,
      fields: request,
      outcome: refundOutcome,
      conflict: () => refuse('conflict'),
      insufficientFunds: () => refuse('insufficient-funds'),
      work: async (tx, now) => {
        if (request.validUntil !== undefined && now > request.validUntil) return refuse('expired');
        const clearing = await tx.findOneBy(TpsClearing, { sender, transactionNumber: request.transactionNumber });
        if (clearing === null) return refuse('unknown-transaction');
        if (clearing.currency !== request.amount.currency) return refuse('currency-mismatch');
        const amount = request.amount.amount;
        const refundable = clearing.amount - clearing.refunded;
        if (amount > refundable) return refuse('exceeds-cleared');
        const payee = await tx.findOneByOrFail(TpsAccount, { id: clearing.payee });
        const creditedId = request.userClearingAccount ?? clearing.payer;
        if (creditedId === clearing.payee) return refuse('same-account');
        // The original payer stays creditable as it was; another account must be an open one kept in the clearing's currency.
        const credited = creditedId === clearing.payer ? await tx.findOneByOrFail(TpsAccount, { id: creditedId }) : await openAccount(tx, creditedId);
        if (credited === undefined) return refuse('unknown-account');
        if (credited.currency !== clearing.currency) return refuse('currency-mismatch');
        const entryId = await postEntry(
          tx,
          { kind: 'refund', sender, requestNumber: request.requestNumber, transactionNumber: request.transactionNumber, currency: clearing.currency, amount, description: `refund of clearing ${clearing.entryId}`, postedAt: now, refundOf: clearing.entryId },
          [
            { account: payee, amount: -amount },
            { account: credited, amount },
          ],
        );
        const counted = await tx
          .createQueryBuilder()
          .update(TpsClearing)
          .set({ refunded: () => 'refunded + :amount' })
          .where('sender = :sender AND transaction_number = :transactionNumber AND refunded + :amount <= amount', { sender, transactionNumber: request.transactionNumber, amount })
          .execute();
        invariant(counted.affected === 1, 'a refund must be counted against its clearing exactly once');
        return {
          requestNumber: request.requestNumber,
          transactionNumber: request.transactionNumber,
          result: 'cleared',
          clearingNumber: entryId,
          clearedAt: now,
          refundable: { amount: refundable - amount, currency: clearing.currency },
        };
      },
    });
  }

  /**
   * Clears every item on its own (each its own transaction, each idempotent by its own request number, so a batch
   * resent after a crash half-way finishes the rest), then stores the batch's answer under the batch's number.
   */
  async clearBatch(sender: PrincipalId, batch: ClearingBatchFields): Promise<ClearingBatchOutcome> {
    invariant(batch.items.length <= MAX_BATCH_ITEMS, `a batch holds at most ${MAX_BATCH_ITEMS} items`);
    const fingerprint = requestFingerprint(clearingBatchRequest.type, batch);
    const earlier = await this.storedBatch(sender, batch.requestNumber, fingerprint);
    if (earlier !== undefined) return earlier;
    const results: ClearingOutcome[] = [];
    for (const item of batch.items) results.push(await this.clear(sender, item));
    const outcome: ClearingBatchOutcome = { requestNumber: batch.requestNumber, result: 'processed', results };
    return this.db.exclusive(async () => {
      const repository = this.db.dataSource.getRepository(TpsRequest);
      const stored = await repository.findOneBy({ sender, requestNumber: batch.requestNumber });
      if (stored !== null) return parseBatch(stored, fingerprint, batch.requestNumber);
      await repository.insert({ sender, requestNumber: batch.requestNumber, messageType: clearingBatchRequest.type, fingerprint, response: JSON.stringify(outcome), answeredAt: this.clock.now() });
      return outcome;
    });
  }

  private storedBatch(sender: PrincipalId, requestNumber: string, fingerprint: string): Promise<ClearingBatchOutcome | undefined> {
    return this.db.exclusive(async () => {
      const stored = await this.db.dataSource.getRepository(TpsRequest).findOneBy({ sender, requestNumber });
      return stored === null ? undefined : parseBatch(stored, fingerprint, requestNumber);
    });
  }

  private async fundingAccount(tx: EntityManager, currency: string, now: number): Promise<TpsAccount> {
    const id = fundingAccountId(currency);
    const existing = await tx.findOneBy(TpsAccount, { id });
    if (existing !== null) return existing;
    const funding: TpsAccount = { id, owner: this.tpsId, currency, kind: 'funding', creditLimit: 0, balance: 0, openedAt: now };
    await tx.insert(TpsAccount, funding);
    return funding;
  }
}

/** An account clearing may name: open, and not one of the ledger's own funding accounts. */
async function openAccount(tx: EntityManager, id: string): Promise<TpsAccount | undefined> {
  const account = await tx.findOneBy(TpsAccount, { id });
  return account === null || account.kind === 'funding' ? undefined : account;
}

function parseBatch(stored: TpsRequest, fingerprint: string, requestNumber: string): ClearingBatchOutcome {
  if (stored.fingerprint !== fingerprint) return { requestNumber, result: 'refused', refusal: 'conflict' };
  return clearingBatchOutcome.parse(JSON.parse(stored.response));
}

function invariantFailed(message: string): never {
  invariant(false, message);
}
