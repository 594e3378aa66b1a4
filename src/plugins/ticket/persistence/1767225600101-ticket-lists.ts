import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { col, table } from '../../../persistence/migrations/table-kit.js';

/** The ticket service's lists: management information, merchant list, customer tables, tickets, examination responses. */
export class TicketLists1767225600101 implements MigrationInterface {
  name = 'TicketLists1767225600101';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      table('ticket_management', [
        col.id('ticketCode', 64),
        col.str('ticketName', 120),
        col.str('issuerId', 100),
        col.str('templateCode', 64),
        col.str('ticketPublicKey', 64),
        col.str('ticketPrivateKey', 64),
        col.str('gatePublicKey', 64),
        col.str('gatePrivateKey', 64),
        col.ms('validUntil'),
        col.ms('createdAt'),
      ]),
    );
    await queryRunner.createTable(
      table('ticket_merchant', [col.seq('id'), col.str('ticketCode', 64), col.str('merchantId', 100), col.str('gateId', 160, true), col.ms('addedAt')], [{ columns: ['ticketCode', 'merchantId'] }]),
    );
    await queryRunner.createTable(
      table('ticket_customer', [{ ...col.id('issuerId', 100) }, { ...col.id('userId', 100) }, col.str('customerNumber', 64), col.ms('createdAt')], [{ columns: ['issuerId', 'customerNumber'], unique: true }]),
    );
    await queryRunner.createTable(
      table(
        'registered_ticket',
        [
          col.id('ticketId', 96),
          col.str('ticketCode', 64),
          col.str('issuerId', 100),
          col.str('userId', 100),
          col.str('lifecycle', 16),
          col.str('certificateId', 32),
          col.text('certificate'),
          col.str('signingPublicKey', 64),
          col.text('status'),
          col.text('variable'),
          col.int('examinationNumber'),
          col.text('formerUsers'),
          col.str('requestNumber', 128),
          col.str('transactionNumber', 128),
          col.str('clearing', 16),
          col.ms('issuedAt'),
          col.ms('updatedAt'),
        ],
        [{ columns: ['userId'] }],
      ),
    );
    await queryRunner.createTable(
      table(
        'ticket_examination_response',
        [
          col.id('id', 240),
          col.str('ticketId', 96),
          col.str('ticketCode', 64),
          col.str('gateId', 160),
          col.str('merchantId', 100),
          col.int('examinationNumber'),
          col.str('transactionNumber', 128),
          col.str('result', 16),
          col.str('reason', 300, true),
          col.text('response'),
          col.ms('examinedAt'),
          col.ms('referencedAt'),
          col.ms('reportedAt', true),
        ],
        [{ columns: ['ticketId', 'examinationNumber'] }],
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['ticket_examination_response', 'registered_ticket', 'ticket_customer', 'ticket_merchant', 'ticket_management']) await queryRunner.dropTable(name);
  }
}
