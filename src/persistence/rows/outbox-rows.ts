import type { OutboxEntity } from '../entities/outbox.entity.js';
import { rowPlaceholders, Sql, type SqlValue } from '../raw-sql.js';
import type { BoundStatement } from '../sqlite-script.js';
import { MultiRowStatement } from './multi-row-statement.js';

const COLUMNS = ['messageId', 'destinationKind', 'destination', 'replyTo', 'payload', 'processGroup', 'status', 'createdAt', 'sentAt'] as const;
/** Rows per INSERT statement; a step rarely writes more than a few. */
const MAX_ROWS = 50;

const markSent = new Map<string, Sql>();

const renderInsert = (count: number): string => `INSERT INTO "outbox" (${COLUMNS.map((column) => `"${column}"`).join(', ')}) VALUES ${rowPlaceholders(count, COLUMNS.length)}`;
/** One statement for any number of rows, each with its own time (a CTE of values: both databases run it as written). */
const renderMarkSent = (count: number, onlyPending: boolean): string =>
  `WITH "marks" ("messageId", "sentAt") AS (VALUES ${Array.from({ length: count }, () => '(?, CAST(? AS BIGINT))').join(', ')}) ` +
  `UPDATE "outbox" SET "status" = 'sent', "sentAt" = (SELECT "marks"."sentAt" FROM "marks" WHERE "marks"."messageId" = "outbox"."messageId") ` +
  `WHERE "messageId" IN (SELECT "messageId" FROM "marks")${onlyPending ? ` AND "status" = 'pending'` : ''}`;

const insert = new MultiRowStatement(MAX_ROWS, renderInsert, (row: OutboxEntity) => [row.messageId, row.destinationKind, row.destination, row.replyTo, row.payload, row.processGroup, row.status, row.createdAt, row.sentAt]);

export function outboxInsertStatements(rows: readonly OutboxEntity[]): BoundStatement[] {
  return insert.statements(rows);
}

export interface SentMark {
  readonly messageId: string;
  readonly at: number;
}

/** Marks rows sent: all of them (an external reply or an event consumed them), or only those still pending (delivered). */
export function outboxSentStatements(named: readonly SentMark[], onlyPending = false): BoundStatement[] {
  const statements: BoundStatement[] = [];
  const marks = [...new Map(named.map((mark) => [mark.messageId, mark] as const)).values()];
  for (let start = 0; start < marks.length; start += MAX_ROWS) {
    const chunk = marks.slice(start, start + MAX_ROWS);
    const key = `${chunk.length}:${onlyPending}`;
    let statement = markSent.get(key);
    if (statement === undefined) {
      statement = new Sql(renderMarkSent(chunk.length, onlyPending));
      markSent.set(key, statement);
    }
    statements.push({ statement, params: chunk.flatMap((mark) => [mark.messageId, mark.at]) });
  }
  return statements;
}
