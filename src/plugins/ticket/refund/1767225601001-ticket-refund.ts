import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { col, table } from '../../../persistence/migrations/table-kit.js';

/** The service provider's ticket refunds ([1735]-[1766]). */
export class TicketRefund1767225601001 implements MigrationInterface {
  name = 'TicketRefund1767225601001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      table(
        'ticket_refund',
        [
          col.id('requestNumber', 32),
          col.str('processGroup', 180),
          col.str('ticketId', 96),
          col.str('userId', 100),
          col.str('issuerId', 100),
          col.str('modificationNumber', 64),
          col.str('purchaseTransactionNumber', 128),
          col.str('transactionNumber', 128, true),
          col.ms('amount', true),
          col.str('currency', 3, true),
          col.str('clearingOption', 16, true),
          col.str('status', 16),
          { name: 'clearingNumber', type: 'integer', isNullable: true },
          col.text('clearingInformation', true),
          col.text('finalReceipt', true),
          col.ms('createdAt'),
          col.ms('updatedAt'),
        ],
        [{ columns: ['userId'] }],
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('ticket_refund');
  }
}
