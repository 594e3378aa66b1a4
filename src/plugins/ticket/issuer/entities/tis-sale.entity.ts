import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../../../persistence/columns.js';

export type SaleStatus = 'commissioned' | 'cleared' | 'cancelled';

/** The ticket issuing information server 1102: one sale (transaction number 9201) and how it was cleared. */
@Entity('tis_sales')
@Index(['requestNumber', 'customerNumber'], { unique: true })
export class TisSale {
  @PrimaryColumn('varchar', { length: 64 }) transactionNumber!: string;
  @Column('varchar', { length: 64 }) requestNumber!: string;
  @Column('varchar', { length: 64 }) customerNumber!: string;
  @Column('varchar', { length: 64 }) offerNumber!: string;
  @Column('varchar', { length: 64 }) ticketCode!: string;
  @Column('bigint', { transformer: bigintNumber }) amount!: number;
  @Column('varchar', { length: 3 }) currency!: string;
  @Column('varchar', { length: 16 }) clearingOption!: 'spontaneous' | 'delayed';
  @Column('varchar', { length: 16 }) status!: SaleStatus;
  @Column('integer', { nullable: true }) clearingNumber!: number | null;
  @Column('bigint', { transformer: bigintNumber }) createdAt!: number;
  @Column('bigint', { transformer: bigintNumber }) updatedAt!: number;
}
