import type { EntityManager } from 'typeorm';
import { AuditRecordEntity, type AuditCategory } from '../../../persistence/entities/audit-record.entity.js';

/** A refusal or alert of a ticket process, written in the transaction of the step that raised it. */
export async function auditTicketEvent(
  em: EntityManager,
  entry: { readonly at: number; readonly category: AuditCategory; readonly reason: string; readonly principal: string | null; readonly pg: string; readonly message: string; readonly detail?: Record<string, unknown> },
): Promise<void> {
  await em.getRepository(AuditRecordEntity).insert({
    at: entry.at,
    category: entry.category,
    reason: entry.reason.slice(0, 40),
    principal: entry.principal,
    transport: entry.pg,
    message: entry.message,
    detail: entry.detail ?? {},
  });
}
