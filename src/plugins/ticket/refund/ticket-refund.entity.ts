import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../../persistence/columns.js';
import type { RefundClearingOption } from './refund.messages.js';

export type TicketRefundStatus = 'requested' | 'commissioned' | 'awaiting-batch' | 'cleared' | 'receipted';

/**
 * One ticket refund of the service providing system ([1735]-[1766]), by the request number of its refund request:
 * the issuer's refund commission, its clearing at the transaction processor, and, on the delayed path, the final refund
 * receipt that reaches the user with the next data update 8313 (base64 CBOR of the 8211 fields; delivered once the
 * terminal's mirror holds it).
 */
@Entity('ticket_refund')
@Index(['userId'])
export class TicketRefundEntity {
  @PrimaryColumn('varchar', { length: 32 }) requestNumber!: string;
  @Column('varchar', { length: 180 }) processGroup!: string;
  @Column('varchar', { length: 96 }) ticketId!: string;
  @Column('varchar', { length: 100 }) userId!: string;
  @Column('varchar', { length: 100 }) issuerId!: string;
  @Column('varchar', { length: 64 }) modificationNumber!: string;
  /** The purchase whose clearing is paid back. */
  @Column('varchar', { length: 128 }) purchaseTransactionNumber!: string;
  /** The issuer's refund transaction number 13112, once commissioned. */
  @Column('varchar', { length: 128, nullable: true }) transactionNumber!: string | null;
  @Column('bigint', { transformer: bigintNumber, nullable: true }) amount!: number | null;
  @Column('varchar', { length: 3, nullable: true }) currency!: string | null;
  @Column('varchar', { length: 16, nullable: true }) clearingOption!: RefundClearingOption | null;
  @Column('varchar', { length: 16 }) status!: TicketRefundStatus;
  @Column('integer', { nullable: true }) clearingNumber!: number | null;
  /** base64 of the SP-attested refund clearing information (refundClearingInformation). */
  @Column('text', { nullable: true }) clearingInformation!: string | null;
  @Column('text', { nullable: true }) finalReceipt!: string | null;
  @Column('bigint', { transformer: bigintNumber }) createdAt!: number;
  @Column('bigint', { transformer: bigintNumber }) updatedAt!: number;
}
