import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../../persistence/columns.js';

/**
 * The installation card list (installation card list address 5229 of the ticket issuer list 5203, [1700]): which
 * ticket issuer issued the installation cards whose number starts with `cardPrefix`. An issuer registers its prefixes
 * with the service provider when it starts selling cards; the longest registered prefix of a card number names its
 * issuer. The cards themselves (and their installation numbers) stay with the issuer, which alone checks them.
 */
@Entity('ticket_installation_card_list')
export class InstallationCardListEntity {
  @PrimaryColumn('varchar', { length: 40 }) cardPrefix!: string;
  @Column('varchar', { length: 100 }) issuerId!: string;
  @Column('bigint', { transformer: bigintNumber }) addedAt!: number;
}
