import type { EntityManager } from 'typeorm';
import type { PluginServices } from '../../plugin.contract.js';
import { newTicketManagement } from '../generation/ticket-management-keys.js';
import { templateOf } from '../model/ticket-templates.js';
import { TicketManagementEntity } from '../persistence/ticket-management.entity.js';

const DAY_MS = 86_400_000;

/**
 * The electronic ticket management information 5300 of a commissioned ticket code: the existing row (which must
 * belong to the same issuer and template), or a new one with fresh ticket and gate key pairs when the issuer
 * commissions the code for the first time. A string explains a refusal.
 */
export async function managementForCommission(
  services: PluginServices,
  em: EntityManager,
  request: { readonly ticketCode: string; readonly templateCode: string; readonly issuerId: string; readonly title: string; readonly date: string; readonly now: number },
): Promise<TicketManagementEntity | string> {
  const repository = em.getRepository(TicketManagementEntity);
  const existing = await repository.findOneBy({ ticketCode: request.ticketCode });
  if (existing !== null) {
    if (existing.issuerId !== request.issuerId) return `ticket code ${request.ticketCode} belongs to ${existing.issuerId}`;
    if (existing.templateCode !== request.templateCode) return `ticket code ${request.ticketCode} uses template ${existing.templateCode}, not ${request.templateCode}`;
    return existing;
  }
  if (templateOf(request.templateCode) === undefined) return `no electronic ticket template ${request.templateCode}`;
  // Valid until the end of the day after the event: long enough for late entries, short enough to expire.
  const eventEnd = Date.parse(`${request.date}T00:00:00Z`) + 2 * DAY_MS;
  const validUntil = Number.isFinite(eventEnd) && eventEnd > request.now ? eventEnd : request.now + DAY_MS;
  const created = newTicketManagement(services.crypto, { ticketCode: request.ticketCode, ticketName: request.title, issuerId: request.issuerId, templateCode: request.templateCode, validUntil, now: request.now });
  await repository.insert(created);
  return created;
}
