import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { col, table } from '../../../../persistence/migrations/table-kit.js';

const bool = (name: string) => ({ name, type: 'boolean' });

/** The reference ticket issuing system's own tables, all `tis_*` so they can share a PostgreSQL database. */
export class TisTables1767225600200 implements MigrationInterface {
  name = 'TisTables1767225600200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      table('tis_events', [
        col.id('ticketCode', 64),
        col.str('title', 120),
        col.str('date', 10),
        col.str('location', 120),
        col.str('templateCode', 64),
        col.str('sponsor', 120),
        col.str('seatClass', 40, true),
        col.ms('unitPrice'),
        col.str('currency', 3),
        bool('transferable'),
        { name: 'coupons', type: 'integer', isNullable: true },
        bool('seated'),
        col.int('ticketLimit'),
      ]),
    );
    await queryRunner.createTable(
      table('tis_units', [col.id('ticketCode', 64), col.id('unit', 40), col.int('position'), col.str('status', 8), col.str('holder', 64, true), col.ms('heldUntil', true)], [{ columns: ['ticketCode', 'status'] }]),
    );
    await queryRunner.createTable(table('tis_customers', [col.id('customerNumber', 64), col.int('completedPurchases'), bool('trusted'), col.ms('createdAt')]));
    await queryRunner.createTable(
      table('tis_offers', [col.id('offerNumber', 64), col.str('customerNumber', 64), col.str('ticketCode', 64), col.text('units'), col.ms('unitPrice'), col.ms('price'), col.str('currency', 3), col.ms('validUntil'), col.str('status', 16)]),
    );
    await queryRunner.createTable(
      table(
        'tis_sales',
        [
          col.id('transactionNumber', 64),
          col.str('requestNumber', 64),
          col.str('customerNumber', 64),
          col.str('offerNumber', 64),
          col.str('ticketCode', 64),
          col.ms('amount'),
          col.str('currency', 3),
          col.str('clearingOption', 16),
          col.str('status', 16),
          { name: 'clearingNumber', type: 'integer', isNullable: true },
          col.ms('createdAt'),
          col.ms('updatedAt'),
        ],
        [{ columns: ['requestNumber', 'customerNumber'], unique: true }],
      ),
    );
    await queryRunner.createTable(
      table('tis_issued_tickets', [col.id('ticketId', 96), col.str('transactionNumber', 64), col.str('ticketCode', 64), col.str('customerNumber', 64), col.str('unit', 40), col.str('status', 16), col.ms('issuedAt')], [{ columns: ['transactionNumber'] }]),
    );
    await queryRunner.createTable(table('tis_answers', [col.id('requestKey', 240), col.str('answerType', 64), col.text('fields'), col.ms('answeredAt')]));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['tis_answers', 'tis_issued_tickets', 'tis_sales', 'tis_offers', 'tis_customers', 'tis_units', 'tis_events']) await queryRunner.dropTable(name);
  }
}
