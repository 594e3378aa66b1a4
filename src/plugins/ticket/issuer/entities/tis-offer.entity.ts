import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../../../../persistence/columns.js';

export type OfferStatus = 'offered' | 'commissioned' | 'released';

/** A ticket sales offer 9004 made to a customer, holding its units until its validity term 9006. */
@Entity('tis_offers')
@Index('ix_tis_offers_customer', ['customerNumber', 'ticketCode', 'status'])
@Index('ix_tis_offers_event', ['ticketCode', 'status', 'validUntil'])
export class TisOffer {
  @PrimaryColumn('varchar', { length: 64 }) offerNumber!: string;
  @Column('varchar', { length: 64 }) customerNumber!: string;
  @Column('varchar', { length: 64 }) ticketCode!: string;
  @Column('text', { transformer: jsonText }) units!: string[];
  @Column('bigint', { transformer: bigintNumber }) unitPrice!: number;
  @Column('bigint', { transformer: bigintNumber }) price!: number;
  @Column('varchar', { length: 3 }) currency!: string;
  @Column('bigint', { transformer: bigintNumber }) validUntil!: number;
  @Column('varchar', { length: 16 }) status!: OfferStatus;
}
