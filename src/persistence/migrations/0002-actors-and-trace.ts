import type { MigrationInterface, QueryRunner } from 'typeorm';
import { col, table } from './table-kit.js';

/** Durable actors, their outbox, the inspection trace, the audit log and the remote data store. */
export class ActorsAndTrace0002 implements MigrationInterface {
  name = 'ActorsAndTrace1767225600002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      table(
        'actor_snapshot',
        [col.id('actorId', 200), col.str('kind', 64), col.int('machineVersion'), col.str('status', 16), col.str('processGroup', 200, true), col.str('stateValue', 120), col.text('snapshot'), col.int('sequence'), col.ms('updatedAt')],
        [{ columns: ['kind'] }, { columns: ['status'] }, { columns: ['processGroup'] }],
      ),
    );
    await queryRunner.createTable(
      table(
        'inspection_event',
        [col.seq('seq'), col.str('processGroup', 200), col.str('actorId', 200), col.str('kind', 16), col.str('type', 120), col.text('detail'), col.ms('at')],
        [{ columns: ['processGroup'] }, { columns: ['actorId'] }],
      ),
    );
    await queryRunner.createTable(
      table(
        'audit_record',
        [col.seq('seq'), col.ms('at'), col.str('category', 16), col.str('reason', 40), col.str('principal', 200, true), col.str('transport', 200, true), col.text('message'), col.text('detail')],
        [{ columns: ['at'] }, { columns: ['category'] }],
      ),
    );
    await queryRunner.createTable(
      table(
        'outbox',
        [col.id('messageId', 64), col.str('destinationKind', 16), col.str('destination', 200), col.str('replyTo', 200, true), col.text('payload'), col.str('processGroup', 200), col.str('status', 16), col.ms('createdAt'), col.ms('sentAt', true)],
        [{ columns: ['processGroup'] }, { columns: ['status'] }],
      ),
    );
    await queryRunner.createTable(table('remote_data', [col.id('address', 300), col.str('contentType', 100), col.text('data'), col.ms('updatedAt')]));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['remote_data', 'outbox', 'audit_record', 'inspection_event', 'actor_snapshot']) await queryRunner.dropTable(name);
  }
}
