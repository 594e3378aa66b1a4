import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { col, table } from '../../../persistence/migrations/table-kit.js';

/** Modification requests the SP accepted, tickets made use disabled, and the data each ticket was generated from. */
export class TicketModification1767225600901 implements MigrationInterface {
  name = 'TicketModification1767225600901';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      table('ticket_modification', [
        col.id('id', 180),
        col.str('issuerId', 100),
        col.str('modificationNumber', 64),
        col.str('modificationCode', 32),
        col.str('ticketCode', 64),
        col.str('templateCode', 64),
        col.ms('timeLimit'),
        col.text('modificationMessage'),
        col.text('ticketData'),
        col.text('representativeComponent', true),
        col.str('processGroup', 180),
        col.ms('receivedAt'),
      ]),
    );
    await queryRunner.createTable(table('ticket_issued_data', [col.id('ticketId', 96), col.text('ticketData'), col.text('representativeComponent', true), col.str('origin', 16), col.ms('updatedAt')]));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['ticket_issued_data', 'ticket_modification']) await queryRunner.dropTable(name);
  }
}
