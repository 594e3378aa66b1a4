import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * What an order reads per customer (the ticket limit counts the customer's tickets and open offers of the event) and
 * what releasing expired holds reads per event, from indexes: without them every order scanned every offer and ticket.
 */
export class TisCustomerIndexes1767225600230 implements MigrationInterface {
  name = 'TisCustomerIndexes1767225600230';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('tis_offers', new TableIndex({ name: 'ix_tis_offers_customer', columnNames: ['customerNumber', 'ticketCode', 'status'] }));
    await queryRunner.createIndex('tis_offers', new TableIndex({ name: 'ix_tis_offers_event', columnNames: ['ticketCode', 'status', 'validUntil'] }));
    await queryRunner.createIndex('tis_issued_tickets', new TableIndex({ name: 'ix_tis_issued_tickets_customer', columnNames: ['customerNumber', 'ticketCode'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('tis_issued_tickets', 'ix_tis_issued_tickets_customer');
    await queryRunner.dropIndex('tis_offers', 'ix_tis_offers_event');
    await queryRunner.dropIndex('tis_offers', 'ix_tis_offers_customer');
  }
}
