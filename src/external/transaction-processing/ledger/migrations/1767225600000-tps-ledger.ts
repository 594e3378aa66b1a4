import { Table, TableCheck, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const str = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'varchar', length: String(length), ...extra });
const big = (name: string): TableColumnOptions => ({ name, type: 'bigint' });
const int = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'integer', ...extra });
const serial = (name: string): TableColumnOptions => int(name, { isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
const foreignKey = (name: string, column: string, table: string, referenced: string) =>
  new TableForeignKey({ name, columnNames: [column], referencedTableName: table, referencedColumnNames: [referenced], onDelete: 'RESTRICT' });

/**
 * The reference TPS's ledger. Hand-written and portable (SQLite and PostgreSQL); every table is prefixed `tps_`
 * so the TPS can share a PostgreSQL database with the SP.
 */
export class TpsLedger1767225600000 implements MigrationInterface {
  readonly name = 'TpsLedger1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'tps_accounts',
        columns: [str('id', 96, { isPrimary: true }), str('owner', 160), str('currency', 3), str('kind', 16), big('credit_limit'), big('balance'), big('opened_at')],
        checks: [new TableCheck({ name: 'ck_tps_accounts_credit_limit', expression: 'credit_limit >= 0' })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'tps_journal_entries',
        columns: [
          serial('id'),
          str('kind', 16),
          str('sender', 160),
          str('request_number', 128),
          str('transaction_number', 128, { isNullable: true }),
          str('currency', 3),
          big('amount'),
          str('description', 200),
          big('posted_at'),
          int('refund_of', { isNullable: true }),
        ],
        checks: [new TableCheck({ name: 'ck_tps_journal_entries_amount', expression: 'amount > 0' })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'tps_postings',
        columns: [serial('id'), int('entry_id'), str('account_id', 96), big('amount')],
        indices: [new TableIndex({ name: 'ix_tps_postings_account', columnNames: ['account_id'] }), new TableIndex({ name: 'ix_tps_postings_entry', columnNames: ['entry_id'] })],
        foreignKeys: [foreignKey('fk_tps_postings_entry', 'entry_id', 'tps_journal_entries', 'id'), foreignKey('fk_tps_postings_account', 'account_id', 'tps_accounts', 'id')],
        checks: [new TableCheck({ name: 'ck_tps_postings_amount', expression: 'amount <> 0' })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'tps_requests',
        columns: [str('sender', 160, { isPrimary: true }), str('request_number', 128, { isPrimary: true }), str('message_type', 64), str('fingerprint', 64), { name: 'response', type: 'text' }, big('answered_at')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'tps_clearings',
        columns: [
          str('sender', 160, { isPrimary: true }),
          str('transaction_number', 128, { isPrimary: true }),
          int('entry_id'),
          str('payer', 96),
          str('payee', 96),
          str('currency', 3),
          big('amount'),
          big('refunded'),
        ],
        foreignKeys: [foreignKey('fk_tps_clearings_entry', 'entry_id', 'tps_journal_entries', 'id')],
        checks: [new TableCheck({ name: 'ck_tps_clearings_refunded', expression: 'refunded >= 0 AND refunded <= amount' })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['tps_clearings', 'tps_requests', 'tps_postings', 'tps_journal_entries', 'tps_accounts']) await queryRunner.dropTable(table);
  }
}
