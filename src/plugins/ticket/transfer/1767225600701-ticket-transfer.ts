import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { col, table } from '../../../persistence/migrations/table-kit.js';

/** The transfers the service providing system carried out: the former user information of [1690]. */
export class TicketTransfer1767225600701 implements MigrationInterface {
  name = 'TicketTransfer1767225600701';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      table(
        'ticket_transfer',
        [
          col.id('transferNumber', 32),
          col.str('ticketId', 96),
          col.str('transferOfferNumber', 32),
          col.str('acceptanceNumber', 32),
          col.str('formerUserId', 100),
          col.str('formerUserCertificateId', 64),
          col.str('formerUserPublicKey', 64),
          col.str('formerTicketCertificateId', 32),
          col.str('userId', 100),
          col.str('userCertificateId', 64),
          col.str('ticketCertificateId', 32),
          col.str('requestedVia', 16),
          col.text('transferCertificate'),
          col.ms('transferredAt'),
        ],
        [{ columns: ['ticketId'] }, { columns: ['transferOfferNumber', 'acceptanceNumber'], unique: true }],
      ),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('ticket_transfer');
  }
}
