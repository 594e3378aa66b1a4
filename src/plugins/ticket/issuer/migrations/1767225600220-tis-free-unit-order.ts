import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The next free units of an event in seat order straight from an index, however large the event. */
export class TisFreeUnitOrder1767225600220 implements MigrationInterface {
  name = 'TisFreeUnitOrder1767225600220';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('tis_units', new TableIndex({ name: 'ix_tis_units_ticketCode_status_position', columnNames: ['ticketCode', 'status', 'position'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('tis_units', 'ix_tis_units_ticketCode_status_position');
  }
}
