import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../../../persistence/columns.js';

export type TisRefundStatus = 'commissioned' | 'cleared';

/** One refund the issuer commissioned (refund commission 8206 / 8306, [1737]-[1738]) and its clearing. */
@Entity('tis_refunds')
@Index(['requestNumber'], { unique: true })
export class TisRefund {
  @PrimaryColumn('varchar', { length: 64 }) transactionNumber!: string;
  @Column('varchar', { length: 64 }) requestNumber!: string;
  @Column('varchar', { length: 64 }) modificationNumber!: string;
  @Column('varchar', { length: 96 }) ticketId!: string;
  @Column('varchar', { length: 64 }) customerNumber!: string;
  /** The sale whose price is paid back. */
  @Column('varchar', { length: 64 }) saleTransactionNumber!: string;
  @Column('bigint', { transformer: bigintNumber }) amount!: number;
  @Column('varchar', { length: 3 }) currency!: string;
  @Column('varchar', { length: 16 }) clearingOption!: 'immediate' | 'delayed';
  @Column('varchar', { length: 16 }) status!: TisRefundStatus;
  @Column('integer', { nullable: true }) clearingNumber!: number | null;
  @Column('bigint', { transformer: bigintNumber }) createdAt!: number;
  @Column('bigint', { transformer: bigintNumber }) updatedAt!: number;
}
