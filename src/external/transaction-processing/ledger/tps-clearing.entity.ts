import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintColumn } from './integer-column.js';
import { TpsJournalEntry } from './tps-journal-entry.entity.js';

/** A cleared transaction, by (sender, transaction number): what refunds may pay back. `refunded` only grows. */
@Entity({ name: 'tps_clearings' })
@Check('ck_tps_clearings_refunded', 'refunded >= 0 AND refunded <= amount')
export class TpsClearing {
  @PrimaryColumn({ type: 'varchar', length: 160 }) sender!: string;
  @PrimaryColumn({ name: 'transaction_number', type: 'varchar', length: 128 }) transactionNumber!: string;
  @Column({ name: 'entry_id', type: 'integer' }) entryId!: number;
  @Column({ type: 'varchar', length: 96 }) payer!: string;
  @Column({ type: 'varchar', length: 96 }) payee!: string;
  @Column({ type: 'varchar', length: 3 }) currency!: string;
  @Column({ type: 'bigint', transformer: bigintColumn }) amount!: number;
  @Column({ type: 'bigint', transformer: bigintColumn }) refunded!: number;

  @ManyToOne(() => TpsJournalEntry, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'entry_id', foreignKeyConstraintName: 'fk_tps_clearings_entry' })
  entry?: TpsJournalEntry;
}
