import { In, Not, type EntityManager } from 'typeorm';
import { fromBase64, toBase64 } from '../../../common/bytes.js';
import type { TaskHandler } from '../../../core/outbox-dispatcher.js';
import { transactionalTask } from '../../../core/transactional-task.js';
import { DeviceEntity } from '../../../persistence/entities/device.entity.js';
import { UserListEntity } from '../../../persistence/entities/user-list.entity.js';
import { decodeStrict } from '../../../protocol/cbor.js';
import { openPart } from '../../../protocol/signed-part.js';
import type { PluginServices } from '../../plugin.contract.js';
import { TICKET_DATA_TYPE, ticketDataBody } from '../model/ticket-information.js';
import { templateOf } from '../model/ticket-templates.js';
import { RegisteredTicketEntity } from '../persistence/registered-ticket.entity.js';
import { TicketManagementEntity } from '../persistence/ticket-management.entity.js';
import { TicketMerchantEntity } from '../persistence/ticket-merchant.entity.js';
import { MODIFICATION_MESSAGE_TYPE, modificationMessageBody, modificationRequest, type ModificationCode } from './modification.messages.js';
import { auditTicketEvent } from './ticket-audit.js';
import { TicketModificationEntity } from './ticket-modification.entity.js';

export const PLAN_MODIFICATION_TASK = 'ticket-modification.plan';

export interface PlanModificationInput {
  readonly pg: string;
  readonly issuerId: string;
  /** base64 of the CBOR of the modification request's fields. */
  readonly request: string;
}

/** A user whose ticket the modification changes, and the terminal the notice goes to. */
export interface ModificationHolder {
  readonly ticketId: string;
  readonly userId: string;
  readonly terminalId: string;
}

export type PlanModificationResult =
  | {
      readonly outcome: 'planned';
      readonly modificationId: string;
      readonly modificationNumber: string;
      readonly modificationCode: ModificationCode;
      readonly timeLimit: number;
      /** base64 of the issuer-signed modification message. */
      readonly modificationMessage: string;
      readonly holders: readonly ModificationHolder[];
      /** Gates that examine the ticket code, when its template (and so its examination program) changes. */
      readonly gateIds: readonly string[];
    }
  | { readonly outcome: 'refused'; readonly reason: string };

/**
 * [1717]-[1719], [1723]: the modification request is checked (the issuer owns the ticket code; its modification
 * message and every modified ticket data carry the issuer's signature and name this ticket code; the template
 * exists), kept, and planned: the template of the ticket code changes at once in the management information 5300
 * (new tickets and the gates' next program follow it), the gates that examine the code are found through the
 * merchant list 5302, and the holders of the affected tickets through the user ticket list 4610.
 */
export function planModificationTask(services: PluginServices): TaskHandler {
  return transactionalTask<PlanModificationInput, PlanModificationResult>(services.dataSource, services.clock, async (input, em) => {
    const result = await plan(services, em, input);
    if (result.outcome === 'refused') await auditTicketEvent(em, { at: services.clock.now(), category: 'refusal', reason: 'ticket-modification-refused', principal: input.issuerId, pg: input.pg, message: `modification refused: ${result.reason}` });
    return result;
  });
}

async function plan(services: PluginServices, em: EntityManager, input: PlanModificationInput): Promise<PlanModificationResult> {
  const parsed = modificationRequest.fields.safeParse(decodeStrict(fromBase64(input.request)));
  if (!parsed.success) return { outcome: 'refused', reason: 'modification request does not match its schema' };
  const request = parsed.data;
  const now = services.clock.now();
  if (request.ticketIssuerId !== input.issuerId) return { outcome: 'refused', reason: `the request names ${request.ticketIssuerId}, signed by ${input.issuerId}` };
  const management = await em.getRepository(TicketManagementEntity).findOneBy({ ticketCode: request.ticketCode });
  if (management === null || management.issuerId !== input.issuerId) return { outcome: 'refused', reason: `${input.issuerId} has no ticket code ${request.ticketCode}` };
  if (templateOf(request.templateCode) === undefined) return { outcome: 'refused', reason: `no template ${request.templateCode}` };
  const issuerKey = await services.identity.signingKey(input.issuerId, now);
  if (!issuerKey.usable) return { outcome: 'refused', reason: `issuer key: ${issuerKey.reason}` };
  const keyOf = (kid: string) => (kid === input.issuerId ? issuerKey.publicKey : undefined);
  const message = openPart(services.envelope, MODIFICATION_MESSAGE_TYPE, request.modificationMessage, modificationMessageBody, [input.issuerId], keyOf);
  if (!message.ok) return { outcome: 'refused', reason: message.reason };
  if (message.body.modificationNumber !== request.modificationNumber || message.body.ticketCode !== request.ticketCode) return { outcome: 'refused', reason: 'the modification message is for another modification' };
  const ticketData: Record<string, string> = {};
  for (const bytes of request.modifiedTicketData) {
    const data = openPart(services.envelope, TICKET_DATA_TYPE, bytes, ticketDataBody, [input.issuerId], keyOf);
    if (!data.ok) return { outcome: 'refused', reason: data.reason };
    if (data.body.ticketCode !== request.ticketCode || data.body.issuerId !== input.issuerId) return { outcome: 'refused', reason: `ticket data of ${data.body.ticketId} is for another ticket code` };
    ticketData[data.body.ticketId] = toBase64(bytes);
  }
  const modificationId = `${input.issuerId}/${request.modificationNumber}`;
  await em.getRepository(TicketModificationEntity).insert({
    id: modificationId,
    issuerId: input.issuerId,
    modificationNumber: request.modificationNumber,
    modificationCode: request.modificationCode,
    ticketCode: request.ticketCode,
    templateCode: request.templateCode,
    timeLimit: request.modificationTimeLimit,
    modificationMessage: toBase64(request.modificationMessage),
    ticketData,
    representativeComponent: request.modifiedRepresentativeComponentInformation,
    processGroup: input.pg,
    receivedAt: now,
  });
  const templateChanges = request.templateCode !== management.templateCode;
  if (templateChanges) await em.getRepository(TicketManagementEntity).update({ ticketCode: request.ticketCode }, { templateCode: request.templateCode });
  return {
    outcome: 'planned',
    modificationId,
    modificationNumber: request.modificationNumber,
    modificationCode: request.modificationCode,
    timeLimit: request.modificationTimeLimit,
    modificationMessage: toBase64(request.modificationMessage),
    holders: await holdersOf(em, request.ticketCode, Object.keys(ticketData)),
    gateIds: templateChanges ? await gatesExamining(em, request.ticketCode) : [],
  };
}

/** The live tickets the modification names (all of the ticket code when it names none), with their holders' terminals. */
async function holdersOf(em: EntityManager, ticketCode: string, ticketIds: readonly string[]): Promise<ModificationHolder[]> {
  const tickets = await em.getRepository(RegisteredTicketEntity).find({
    where: { ticketCode, lifecycle: Not('refunded'), ...(ticketIds.length === 0 ? {} : { ticketId: In([...ticketIds]) }) },
    order: { ticketId: 'ASC' },
  });
  const users = await em.getRepository(UserListEntity).findBy({ userId: In(tickets.map((ticket) => ticket.userId)) });
  const terminalOf = new Map(users.map((user) => [user.userId, user.terminalId]));
  return tickets.flatMap((ticket) => {
    const terminalId = terminalOf.get(ticket.userId);
    return terminalId === undefined ? [] : [{ ticketId: ticket.ticketId, userId: ticket.userId, terminalId }];
  });
}

/** [1719]: the gates of the merchants on the merchant list 5302 of the ticket code (one gate, or all of a merchant's). */
async function gatesExamining(em: EntityManager, ticketCode: string): Promise<string[]> {
  const listed = await em.getRepository(TicketMerchantEntity).findBy({ ticketCode });
  const gates = new Set<string>();
  for (const entry of listed) {
    if (entry.gateId !== null) gates.add(entry.gateId);
    else for (const gate of await em.getRepository(DeviceEntity).findBy({ ownerId: entry.merchantId, kind: 'gate', status: 'active' })) gates.add(gate.id);
  }
  return [...gates].sort();
}
