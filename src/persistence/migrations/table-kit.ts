import { Table, TableIndex, type TableColumnOptions } from 'typeorm';

/** Column shorthands for portable migrations (the same Table definitions run on SQLite and PostgreSQL). */
export const col = {
  id: (name: string, length = 160): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isPrimary: true }),
  str: (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable }),
  text: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable }),
  int: (name: string): TableColumnOptions => ({ name, type: 'integer' }),
  ms: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable }),
  seq: (name: string): TableColumnOptions => ({ name, type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' }),
};

export function table(name: string, columns: TableColumnOptions[], indices: { columns: string[]; unique?: boolean }[] = []): Table {
  return new Table({
    name,
    columns,
    indices: indices.map((index) => new TableIndex({ name: `ix_${name}_${index.columns.join('_')}`, columnNames: index.columns, isUnique: index.unique ?? false })),
  });
}
