import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../../../persistence/columns.js';

export type TicketLifecycle = 'issued' | 'registered' | 'transferred' | 'refunded';

/** One former holder in a ticket's former-user chain (registered ticket list 5303, [1690]). */
export interface FormerUser {
  readonly userId: string;
  readonly until: number;
  readonly transferOfferNumber: string | null;
}

/**
 * Every ticket the service providing system generated: the user ticket list 4610 (by `userId`) and the registered
 * ticket list 5303 (`lifecycle` 'registered' and after), with the certificate in force, the last ticket status and
 * variable information the SP has verified, the examination number it has seen, and the former-user chain.
 */
@Entity('registered_ticket')
@Index(['userId'])
export class RegisteredTicketEntity {
  @PrimaryColumn('varchar', { length: 96 }) ticketId!: string;
  @Column('varchar', { length: 64 }) ticketCode!: string;
  @Column('varchar', { length: 100 }) issuerId!: string;
  @Column('varchar', { length: 100 }) userId!: string;
  @Column('varchar', { length: 16 }) lifecycle!: TicketLifecycle;
  @Column('varchar', { length: 32 }) certificateId!: string;
  /** base64 of the certificate's signed frame, and of its signature public key. */
  @Column('text') certificate!: string;
  @Column('varchar', { length: 64 }) signingPublicKey!: string;
  @Column('text', { transformer: jsonText }) status!: unknown;
  @Column('text', { transformer: jsonText }) variable!: unknown;
  @Column('integer') examinationNumber!: number;
  @Column('text', { transformer: jsonText }) formerUsers!: FormerUser[];
  /** The purchase that issued it: request number (the terminal's), transaction number (the issuer's), clearing option. */
  @Column('varchar', { length: 128 }) requestNumber!: string;
  @Column('varchar', { length: 128 }) transactionNumber!: string;
  @Column('varchar', { length: 16 }) clearing!: 'spontaneous' | 'delayed';
  @Column('bigint', { transformer: bigintNumber }) issuedAt!: number;
  @Column('bigint', { transformer: bigintNumber }) updatedAt!: number;
}
