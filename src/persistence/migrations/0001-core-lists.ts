import type { MigrationInterface, QueryRunner } from 'typeorm';
import { col, table } from './table-kit.js';

/** The core's lists: parties, device registry, user and merchant lists, certificates, replay window. */
export class CoreLists0001 implements MigrationInterface {
  name = 'CoreLists1767225600001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      table('party', [col.id('id'), col.str('kind', 16), col.str('displayName', 200), col.str('signingPublicKey', 64), col.str('sealingPublicKey', 64), col.str('status', 16), col.ms('createdAt')]),
    );
    await queryRunner.createTable(
      table(
        'device_registry',
        [col.id('id'), col.str('kind', 24), col.str('ownerId', 160), col.str('signingPublicKey', 64), col.str('sealingPublicKey', 64), col.str('status', 16), col.ms('createdAt'), col.ms('lastSeenAt', true)],
        [{ columns: ['ownerId'] }],
      ),
    );
    await queryRunner.createTable(table('user_list', [col.id('userId'), col.str('terminalId', 160), col.str('status', 16), col.ms('registeredAt')], [{ columns: ['terminalId'], unique: true }]));
    await queryRunner.createTable(table('merchant_list', [col.id('merchantId'), col.str('name', 200), col.str('status', 16), col.ms('registeredAt')]));
    await queryRunner.createTable(
      table(
        'certificate',
        [
          col.id('id', 64),
          col.str('subjectId', 160),
          col.str('signingPublicKey', 64),
          col.str('sealingPublicKey', 64),
          col.ms('validFrom'),
          col.ms('validUntil'),
          col.str('issuerId', 160),
          col.ms('issuedAt'),
          col.text('frame'),
          col.ms('revokedAt', true),
          col.str('revocationReason', 200, true),
        ],
        [{ columns: ['subjectId'] }],
      ),
    );
    await queryRunner.createTable(
      table('replay_window', [{ ...col.str('scope', 200), isPrimary: true }, { ...col.str('entry', 128), isPrimary: true }, col.ms('expiresAt')], [{ columns: ['expiresAt'] }]),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['replay_window', 'certificate', 'merchant_list', 'user_list', 'device_registry', 'party']) await queryRunner.dropTable(name);
  }
}
