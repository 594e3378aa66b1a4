import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { col, table } from '../../../persistence/migrations/table-kit.js';

/** The installation card list of the ticket issuer list ([1700]): card number prefixes per issuer. */
export class TicketInstallation1767225600801 implements MigrationInterface {
  name = 'TicketInstallation1767225600801';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(table('ticket_installation_card_list', [col.id('cardPrefix', 40), col.str('issuerId', 100), col.ms('addedAt')]));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('ticket_installation_card_list');
  }
}
