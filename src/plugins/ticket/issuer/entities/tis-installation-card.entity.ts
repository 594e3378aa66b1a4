import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../../../persistence/columns.js';

export type InstallationCardStatus = 'unused' | 'used';

/**
 * The management information of the electronic ticket installation cards the issuer sold ([1702], ticket issuing
 * information server 1102): the card number, a digest of the installation number printed under its scratch-off (the
 * number itself is not kept), the event it installs a ticket of, and, once used, the ticket it became.
 */
@Entity('tis_installation_cards')
@Index(['ticketCode', 'status'])
export class TisInstallationCard {
  @PrimaryColumn('varchar', { length: 40 }) cardNumber!: string;
  /** hex SHA-256 of the card number and installation number. */
  @Column('varchar', { length: 64 }) installationNumberDigest!: string;
  @Column('varchar', { length: 64 }) ticketCode!: string;
  @Column('varchar', { length: 8 }) status!: InstallationCardStatus;
  @Column('integer') failedAttempts!: number;
  @Column('varchar', { length: 64, nullable: true }) customerNumber!: string | null;
  @Column('varchar', { length: 96, nullable: true }) ticketId!: string | null;
  @Column('varchar', { length: 64, nullable: true }) transactionNumber!: string | null;
  @Column('bigint', { transformer: bigintNumber }) issuedAt!: number;
  @Column('bigint', { transformer: bigintNumber, nullable: true }) usedAt!: number | null;
}
