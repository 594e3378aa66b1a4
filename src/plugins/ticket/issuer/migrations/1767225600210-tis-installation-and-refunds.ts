import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { col, table } from '../../../../persistence/migrations/table-kit.js';

/** The issuer's installation cards ([1702]) and refunds ([1737]). */
export class TisInstallationAndRefunds1767225600210 implements MigrationInterface {
  name = 'TisInstallationAndRefunds1767225600210';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      table(
        'tis_installation_cards',
        [
          col.id('cardNumber', 40),
          col.str('installationNumberDigest', 64),
          col.str('ticketCode', 64),
          col.str('status', 8),
          col.int('failedAttempts'),
          col.str('customerNumber', 64, true),
          col.str('ticketId', 96, true),
          col.str('transactionNumber', 64, true),
          col.ms('issuedAt'),
          col.ms('usedAt', true),
        ],
        [{ columns: ['ticketCode', 'status'] }],
      ),
    );
    await queryRunner.createTable(
      table(
        'tis_refunds',
        [
          col.id('transactionNumber', 64),
          col.str('requestNumber', 64),
          col.str('modificationNumber', 64),
          col.str('ticketId', 96),
          col.str('customerNumber', 64),
          col.str('saleTransactionNumber', 64),
          col.ms('amount'),
          col.str('currency', 3),
          col.str('clearingOption', 16),
          col.str('status', 16),
          { name: 'clearingNumber', type: 'integer', isNullable: true },
          col.ms('createdAt'),
          col.ms('updatedAt'),
        ],
        [{ columns: ['requestNumber'], unique: true }],
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('tis_refunds');
    await queryRunner.dropTable('tis_installation_cards');
  }
}
