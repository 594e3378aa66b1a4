import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../../../persistence/columns.js';

export type PurchaseState = 'commissioned' | 'awaiting-batch' | 'batched' | 'cleared' | 'completed' | 'cancelling' | 'cancelled';

/**
 * The SP's record of one ticket purchase (one process group): what was ordered and paid with, the issuer's
 * commission, the generated tickets until they reach the user, the clearing, and the final receipt of a delayed
 * clearing waiting for the user's next data update (6011).
 */
@Entity('ticket_purchase')
@Index(['state'])
@Index(['userId'])
export class TicketPurchaseEntity {
  @PrimaryColumn('varchar', { length: 160 }) pg!: string;
  @Column('varchar', { length: 100 }) userId!: string;
  @Column('varchar', { length: 100 }) issuerId!: string;
  @Column('varchar', { length: 64 }) customerNumber!: string;
  @Column('varchar', { length: 64 }) requestNumber!: string;
  @Column('varchar', { length: 64 }) transactionNumber!: string;
  @Column('varchar', { length: 16 }) clearing!: 'spontaneous' | 'delayed';
  @Column('varchar', { length: 16 }) state!: PurchaseState;
  @Column('varchar', { length: 96 }) payerAccount!: string;
  @Column('varchar', { length: 96 }) payeeAccount!: string;
  @Column('bigint', { transformer: bigintNumber }) amount!: number;
  @Column('varchar', { length: 3 }) currency!: string;
  @Column('varchar', { length: 64 }) paymentServiceCode!: string;
  @Column('varchar', { length: 32 }) paymentOptionCode!: string;
  /** Packed (CBOR, base64) generated electronic tickets and their user ticket list rows, until they are delivered. */
  @Column('text') tickets!: string;
  @Column('integer', { nullable: true }) clearingNumber!: number | null;
  /** base64 of the SP-attested clearing information part. */
  @Column('text', { nullable: true }) clearingInformation!: string | null;
  /** base64 of the SP-signed final receipt of a delayed clearing, for the next data update. */
  @Column('text', { nullable: true }) finalReceipt!: string | null;
  @Column('varchar', { length: 160, nullable: true }) batchPg!: string | null;
  @Column('bigint', { transformer: bigintNumber }) createdAt!: number;
  @Column('bigint', { transformer: bigintNumber }) updatedAt!: number;
}
