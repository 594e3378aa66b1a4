import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../../persistence/columns.js';

/**
 * One transfer the service director carried out ([1689]-[1690]): the former user information 5327 the registered
 * ticket list's former-user chain points at (user, user public key certificate, the ticket certificate then in force)
 * beside the new holder's, and the decrypted ticket transfer certificate it was done on.
 */
@Entity('ticket_transfer')
@Index(['ticketId'])
export class TicketTransferEntity {
  /** The transfer number 11909. */
  @PrimaryColumn('varchar', { length: 32 }) transferNumber!: string;
  @Column('varchar', { length: 96 }) ticketId!: string;
  @Column('varchar', { length: 32 }) transferOfferNumber!: string;
  @Column('varchar', { length: 32 }) acceptanceNumber!: string;
  @Column('varchar', { length: 100 }) formerUserId!: string;
  @Column('varchar', { length: 64 }) formerUserCertificateId!: string;
  /** base64 of the former user's signature public key (user public key 5323 as it was). */
  @Column('varchar', { length: 64 }) formerUserPublicKey!: string;
  @Column('varchar', { length: 32 }) formerTicketCertificateId!: string;
  @Column('varchar', { length: 100 }) userId!: string;
  @Column('varchar', { length: 64 }) userCertificateId!: string;
  @Column('varchar', { length: 32 }) ticketCertificateId!: string;
  /** How B asked: 'request' (7411) or 'data-update' (a record of the upload, [1685]). */
  @Column('varchar', { length: 16 }) requestedVia!: 'request' | 'data-update';
  /** base64 of the decrypted ticket transfer certificate (7406's signed frame). */
  @Column('text') transferCertificate!: string;
  @Column('bigint', { transformer: bigintNumber }) transferredAt!: number;
}
