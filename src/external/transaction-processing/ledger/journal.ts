import type { EntityManager } from 'typeorm';
import { InvariantError, invariant } from '../../../protocol/errors.js';
import { toSafeInteger } from './integer-column.js';
import { TpsAccount } from './tps-account.entity.js';
import { TpsJournalEntry } from './tps-journal-entry.entity.js';
import { TpsPosting } from './tps-posting.entity.js';

/** One leg of an entry: a signed amount in minor units (negative debits the account). */
export interface Leg {
  readonly account: TpsAccount;
  readonly amount: number;
}

/** Thrown inside a ledger transaction to roll back everything it wrote: a debit would pass an account's credit limit. */
export class InsufficientFunds extends Error {
  override readonly name = 'InsufficientFunds';
  constructor(readonly accountId: string) {
    super(`insufficient funds on ${accountId}`);
  }
}

export type EntryHeader = Omit<TpsJournalEntry, 'id'>;

function assertBalanced(header: EntryHeader, legs: readonly Leg[]): void {
  invariant(legs.length >= 2, 'an entry needs at least two legs');
  invariant(Number.isSafeInteger(header.amount) && header.amount > 0, 'entry amount must be a positive integer');
  for (const leg of legs) {
    invariant(Number.isSafeInteger(leg.amount) && leg.amount !== 0, `leg on ${leg.account.id} must be a non-zero integer`);
    invariant(leg.account.currency === header.currency, `leg on ${leg.account.id} is in another currency`);
  }
  invariant(legs.reduce((sum, leg) => sum + leg.amount, 0) === 0, 'the legs of an entry must sum to zero');
}

/**
 * Posts one double-entry journal entry and moves the cached balances, inside the caller's transaction.
 * Each debit is conditional on the credit limit in the UPDATE itself, so a concurrent writer cannot slip between
 * the check and the write; accounts are touched in ID order so two entries cannot deadlock on PostgreSQL.
 * Returns the entry ID (the clearing number); throws InsufficientFunds, and the caller's transaction rolls back
 * whatever this entry wrote before it.
 */
export async function postEntry(tx: EntityManager, header: EntryHeader, legs: readonly Leg[]): Promise<number> {
  assertBalanced(header, legs);
  const ordered = [...legs].sort((a, b) => (a.account.id < b.account.id ? -1 : a.account.id > b.account.id ? 1 : 0));
  for (const leg of ordered) {
    const limited = leg.amount < 0 && leg.account.kind !== 'funding';
    const update = tx
      .createQueryBuilder()
      .update(TpsAccount)
      .set({ balance: () => 'balance + :delta' })
      .where('id = :id', { id: leg.account.id, delta: leg.amount });
    const result = await (limited ? update.andWhere('balance + :delta >= -credit_limit') : update).execute();
    if (result.affected === 0 && limited) throw new InsufficientFunds(leg.account.id);
    if (result.affected !== 1) throw new InvariantError(`balance update of ${leg.account.id} touched ${String(result.affected)} rows`);
  }
  const inserted = await tx.insert(TpsJournalEntry, header);
  const entryId = toSafeInteger(inserted.identifiers[0]?.['id']);
  await tx.insert(
    TpsPosting,
    legs.map((leg) => ({ entryId, accountId: leg.account.id, amount: leg.amount })),
  );
  return entryId;
}
