import type { EntityManager } from 'typeorm';
import { fromBase64, toBase64 } from '../../../common/bytes.js';
import type { TaskHandler } from '../../../core/outbox-dispatcher.js';
import { transactionalTask } from '../../../core/transactional-task.js';
import { encodeCanonical } from '../../../protocol/cbor.js';
import type { FieldsOf } from '../../../protocol/message.js';
import type { PluginServices } from '../../plugin.contract.js';
import { generateElectronicTicket } from '../generation/generate-electronic-ticket.js';
import { ticketStatus, variableTicketInformation } from '../model/ticket-status.js';
import { RegisteredTicketEntity } from '../persistence/registered-ticket.entity.js';
import { TicketManagementEntity } from '../persistence/ticket-management.entity.js';
import type { modificationInstruction } from './modification.messages.js';
import { auditTicketEvent } from './ticket-audit.js';
import { TicketIssuedDataEntity } from './ticket-issued-data.entity.js';
import { TicketModificationEntity } from './ticket-modification.entity.js';

export const ACCEPT_MODIFICATION_TASK = 'ticket-modification.accept';
export const REFUSE_MODIFICATION_TASK = 'ticket-modification.refuse';

export interface ReactionTaskInput {
  readonly pg: string;
  readonly modificationId: string;
  readonly ticketId: string;
  readonly userId: string;
  /** The reaction's request number (13003), echoed in the modification instruction (13013). */
  readonly requestNumber: string;
}

/** The 8105 fields, CBOR then base64 (a task result is JSON; the ticket holds bytes). */
export type AcceptModificationResult = { readonly outcome: 'modified'; readonly ticketId: string; readonly message: string } | { readonly outcome: 'failed'; readonly ticketId: string; readonly reason: string };

/**
 * [1729]: "accept": a new electronic ticket is generated as in the purchase, from the modified ticket data (or the
 * data the ticket was generated from, when the ticket information did not change), the template now in the management
 * information and the modified representative component information; it replaces the old one in the user ticket list
 * 4610, and goes into the modification instruction 8105. The new ticket keeps how far the old one was used (the SP's
 * last verified status and coupons), so a modification never gives back a used entry.
 */
export function acceptModificationTask(services: PluginServices): TaskHandler {
  return transactionalTask<ReactionTaskInput, AcceptModificationResult>(services.dataSource, services.clock, async (input, em) => {
    const result = await accept(services, em, input);
    if (typeof result === 'string') {
      await auditTicketEvent(em, { at: services.clock.now(), category: 'alert', reason: 'ticket-modification-failed', principal: input.userId, pg: input.pg, message: `ticket ${input.ticketId} not modified: ${result}` });
      return { outcome: 'failed', ticketId: input.ticketId, reason: result };
    }
    return result;
  });
}

async function accept(services: PluginServices, em: EntityManager, input: ReactionTaskInput): Promise<AcceptModificationResult | string> {
  const now = services.clock.now();
  const modification = await em.getRepository(TicketModificationEntity).findOneBy({ id: input.modificationId });
  const old = await em.getRepository(RegisteredTicketEntity).findOneBy({ ticketId: input.ticketId });
  if (modification === null || old === null) return 'unknown modification or ticket';
  if (old.userId !== input.userId || old.lifecycle === 'refunded') return `ticket ${input.ticketId} is no longer ${input.userId}'s`;
  const management = await em.getRepository(TicketManagementEntity).findOneBy({ ticketCode: modification.ticketCode });
  const source = await em.getRepository(TicketIssuedDataEntity).findOneBy({ ticketId: input.ticketId });
  const ticketData = modification.ticketData[input.ticketId] ?? source?.ticketData;
  if (management === null || ticketData === undefined) return 'no ticket data to generate the new ticket from';
  const generated = generateElectronicTicket(
    { envelope: services.envelope, crypto: services.crypto, spSigner: services.spSigner },
    {
      management,
      ticketData: fromBase64(ticketData),
      holder: input.userId,
      representativeComponent: modification.representativeComponent ?? source?.representativeComponent ?? null,
      purchase: { requestNumber: old.requestNumber, transactionNumber: old.transactionNumber, clearing: old.clearing },
      now,
    },
  );
  if (generated.ticket.ticketId !== input.ticketId) return 'the modified ticket data names another ticket';
  const { status, variable } = carriedUse(old, generated.ticket.status, generated.ticket.variable);
  const ticket = { ...generated.ticket, status, variable };
  await em.getRepository(RegisteredTicketEntity).save({ ...generated.row, status, variable, formerUsers: old.formerUsers, issuedAt: old.issuedAt });
  await em.getRepository(TicketIssuedDataEntity).save({ ticketId: input.ticketId, ticketData, representativeComponent: ticket.representativeComponent, origin: source?.origin ?? 'purchase', updatedAt: now });
  const fields: FieldsOf<typeof modificationInstruction> = { modificationNumber: modification.modificationNumber, requestNumber: input.requestNumber, newElectronicTicket: ticket, serviceProviderId: services.spId };
  return { outcome: 'modified', ticketId: input.ticketId, message: toBase64(encodeCanonical(fields)) };
}

/** The use state and coupons of the old ticket carry over to the new one (a coupon count can only go down). */
function carriedUse(old: RegisteredTicketEntity, status: ReturnType<typeof ticketStatus.parse>, variable: ReturnType<typeof variableTicketInformation.parse>) {
  const oldStatus = ticketStatus.safeParse(old.status);
  const oldVariable = variableTicketInformation.safeParse(old.variable);
  const use = oldStatus.success ? oldStatus.data.use : status.use;
  const oldCoupons = oldVariable.success ? oldVariable.data.couponsLeft : null;
  const couponsLeft = oldCoupons !== null && variable.couponsLeft !== null ? Math.min(oldCoupons, variable.couponsLeft) : variable.couponsLeft;
  return { status: { ...status, use }, variable: { couponsLeft } };
}

export interface RefuseModificationResult {
  readonly outcome: 'disabled';
  readonly ticketId: string;
}

/**
 * [1728]: "refuse": the ticket status 4647 of the ticket in the user ticket list becomes use disabled.
 */
export function refuseModificationTask(services: PluginServices): TaskHandler {
  return transactionalTask<ReactionTaskInput, RefuseModificationResult>(services.dataSource, services.clock, async (input, em) => {
    const now = services.clock.now();
    const registered = await em.getRepository(RegisteredTicketEntity).findOneBy({ ticketId: input.ticketId });
    // The status the SP verifies examinations against says disabled too: a presentation after this is an error at reference.
    const status = registered === null ? null : { ...(registered.status as Record<string, unknown>), use: 'disabled' };
    await em.getRepository(RegisteredTicketEntity).update({ ticketId: input.ticketId }, { updatedAt: now, ...(status === null ? {} : { status }) });
    await auditTicketEvent(em, { at: now, category: 'lifecycle', reason: 'ticket-use-disabled', principal: input.userId, pg: input.pg, message: `ticket ${input.ticketId} use disabled: modification refused` });
    return { outcome: 'disabled', ticketId: input.ticketId };
  });
}
