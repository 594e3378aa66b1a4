import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { col, table } from './table-kit.js';

/** Network hierarchical storage: the SP's mirror of each terminal, task results, and actor deadlines. */
export class TerminalMirror1767225600003 implements MigrationInterface {
  name = 'TerminalMirror1767225600003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      table('terminal_mirror', [col.id('deviceId'), col.text('image'), col.int('updates'), col.ms('lastUpdateAt', true), col.ms('lastUploadAt', true), col.str('divergence', 200, true), col.ms('nextUpdateAt', true)]),
    );
    await queryRunner.createTable(table('task_result', [col.id('taskKey', 240), col.text('result'), col.ms('completedAt')]));
    await queryRunner.addColumn('actor_snapshot', new TableColumn(col.ms('deadlineAt', true)));
    await queryRunner.createIndex('actor_snapshot', new TableIndex({ name: 'ix_actor_snapshot_deadlineAt', columnNames: ['deadlineAt'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('actor_snapshot', 'ix_actor_snapshot_deadlineAt');
    await queryRunner.dropColumn('actor_snapshot', 'deadlineAt');
    await queryRunner.dropTable('task_result');
    await queryRunner.dropTable('terminal_mirror');
  }
}
