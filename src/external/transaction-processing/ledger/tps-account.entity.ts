import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import type { AccountKind } from '../tps-messages.js';
import { bigintColumn } from './integer-column.js';

/** `funding` accounts are the ledger's own: the counterpart of money brought in, so every entry still balances. */
export type LedgerAccountKind = AccountKind | 'funding';

/** A clearing account. `balance` caches the sum of its postings and is updated in the posting's transaction. */
@Entity({ name: 'tps_accounts' })
@Check('ck_tps_accounts_credit_limit', 'credit_limit >= 0')
export class TpsAccount {
  @PrimaryColumn({ type: 'varchar', length: 96 }) id!: string;
  @Column({ type: 'varchar', length: 160 }) owner!: string;
  @Column({ type: 'varchar', length: 3 }) currency!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: LedgerAccountKind;
  /** How far below zero the balance may go; funding accounts are not limited. */
  @Column({ name: 'credit_limit', type: 'bigint', transformer: bigintColumn }) creditLimit!: number;
  @Column({ type: 'bigint', transformer: bigintColumn }) balance!: number;
  @Column({ name: 'opened_at', type: 'bigint', transformer: bigintColumn }) openedAt!: number;
}
