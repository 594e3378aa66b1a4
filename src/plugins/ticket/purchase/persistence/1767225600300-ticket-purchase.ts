import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { col, table } from '../../../../persistence/migrations/table-kit.js';

/** The ticket purchase records and the clearing accounts known open. */
export class TicketPurchase1767225600300 implements MigrationInterface {
  name = 'TicketPurchase1767225600300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      table(
        'ticket_purchase',
        [
          col.id('pg', 160),
          col.str('userId', 100),
          col.str('issuerId', 100),
          col.str('customerNumber', 64),
          col.str('requestNumber', 64),
          col.str('transactionNumber', 64),
          col.str('clearing', 16),
          col.str('state', 16),
          col.str('payerAccount', 96),
          col.str('payeeAccount', 96),
          col.ms('amount'),
          col.str('currency', 3),
          col.str('paymentServiceCode', 64),
          col.str('paymentOptionCode', 32),
          col.text('tickets'),
          { name: 'clearingNumber', type: 'integer', isNullable: true },
          col.text('clearingInformation', true),
          col.text('finalReceipt', true),
          col.str('batchPg', 160, true),
          col.ms('createdAt'),
          col.ms('updatedAt'),
        ],
        [{ columns: ['state'] }, { columns: ['userId'] }],
      ),
    );
    await queryRunner.createTable(table('ticket_clearing_account', [col.id('account', 96), col.str('owner', 100), col.ms('openedAt')]));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('ticket_clearing_account');
    await queryRunner.dropTable('ticket_purchase');
  }
}
