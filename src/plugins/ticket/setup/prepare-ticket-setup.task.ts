import type { EntityManager } from 'typeorm';
import { fromBase64, toBase64 } from '../../../common/bytes.js';
import type { TaskHandler } from '../../../core/outbox-dispatcher.js';
import { transactionalTask } from '../../../core/transactional-task.js';
import { AuditRecordEntity } from '../../../persistence/entities/index.js';
import type { FieldsOf } from '../../../protocol/message.js';
import type { PluginServices } from '../../plugin.contract.js';
import { templateOf } from '../model/ticket-templates.js';
import { TicketManagementEntity } from '../persistence/ticket-management.entity.js';
import { isListed } from './merchant-list.js';
import { GATE_KEY_SEAL_LABEL, type ticketSetupMessage } from './setup.messages.js';

export const PREPARE_TICKET_SETUP_TASK = 'ticket-setup.prepare';

export interface PrepareTicketSetupInput {
  readonly pg: string;
  readonly ticketCode: string;
  readonly gateId: string;
  readonly merchantId: string;
}

type SetupFields = FieldsOf<typeof ticketSetupMessage>;

/** The 6602 fields as a task result and director context hold them: JSON, so byte fields as base64. */
export type StoredSetupFields = Omit<SetupFields, 'gatePrivateKey' | 'ticketPublicKey' | 'ticketExaminationModule'> & {
  readonly gatePrivateKey: string;
  readonly ticketPublicKey: string;
  readonly ticketExaminationModule: Omit<SetupFields['ticketExaminationModule'], 'issuerSigningPublicKey'> & { readonly issuerSigningPublicKey: string | null };
};

export type PrepareTicketSetupResult = { readonly outcome: 'setup'; readonly fields: StoredSetupFields } | { readonly outcome: 'refused'; readonly reason: string };

/** The 6602 fields of a stored result, bytes restored. */
export function setupFieldsOf(stored: StoredSetupFields): SetupFields {
  const module = stored.ticketExaminationModule;
  return {
    ...stored,
    gatePrivateKey: fromBase64(stored.gatePrivateKey),
    ticketPublicKey: fromBase64(stored.ticketPublicKey),
    ticketExaminationModule: { ...module, issuerSigningPublicKey: module.issuerSigningPublicKey === null ? null : fromBase64(module.issuerSigningPublicKey) },
  };
}

/**
 * [1632]: the merchant must be on the merchant list 5302 of the ticket code; the ticket setup message is made from the
 * electronic ticket management information 5300 (ticket public key 5309, gate private key 5310, template code 5312)
 * and the template list 4905 (the examination module). A refusal is audited in the same transaction.
 */
export function prepareTicketSetupTask(services: PluginServices): TaskHandler {
  return transactionalTask<PrepareTicketSetupInput, PrepareTicketSetupResult>(services.dataSource, services.clock, async (input, em) => {
    const result = await prepare(services, em, input);
    if (result.outcome === 'refused') await auditRefusal(services, em, input, result.reason);
    return result;
  });
}

async function prepare(services: PluginServices, em: EntityManager, input: PrepareTicketSetupInput): Promise<PrepareTicketSetupResult> {
  const now = services.clock.now();
  const management = await em.getRepository(TicketManagementEntity).findOneBy({ ticketCode: input.ticketCode });
  if (management === null) return { outcome: 'refused', reason: `no electronic ticket with ticket code ${input.ticketCode}` };
  if (!(await isListed(em, input.ticketCode, input.merchantId, input.gateId))) return { outcome: 'refused', reason: `${input.merchantId} (${input.gateId}) is not on the merchant list of ${input.ticketCode}` };
  if (management.validUntil < now) return { outcome: 'refused', reason: `${input.ticketCode} is no longer valid` };
  const template = templateOf(management.templateCode);
  if (template === undefined) return { outcome: 'refused', reason: `no template ${management.templateCode} in the template list` };
  const gateSealingKey = await services.identity.sealingKey(input.gateId);
  if (gateSealingKey === undefined) return { outcome: 'refused', reason: `no sealing key for ${input.gateId}` };
  const issuerKey = await services.identity.signingKey(management.issuerId, now);
  const { envelope } = services;
  return {
    outcome: 'setup',
    fields: {
      ticketName: management.ticketName,
      ticketCode: management.ticketCode,
      issuerId: management.issuerId,
      validityTerm: { validFrom: management.createdAt, validUntil: management.validUntil },
      gatePrivateKey: toBase64(envelope.seal(fromBase64(management.gatePrivateKey), GATE_KEY_SEAL_LABEL(input.gateId, input.ticketCode), gateSealingKey)),
      ticketPublicKey: management.ticketPublicKey,
      ticketExaminationModule: {
        moduleId: template.examinationModule.moduleId,
        version: template.examinationModule.version,
        templateCode: template.templateCode,
        instruction: template.examinationModule.instruction,
        issuerSigningPublicKey: issuerKey.usable ? toBase64(issuerKey.publicKey) : null,
      },
      serviceProviderId: services.spId,
    },
  };
}

async function auditRefusal(services: PluginServices, em: EntityManager, input: PrepareTicketSetupInput, reason: string): Promise<void> {
  await em.getRepository(AuditRecordEntity).insert({
    at: services.clock.now(),
    category: 'refusal',
    reason: 'ticket-setup-refused',
    principal: input.gateId,
    transport: input.pg,
    message: `ticket setup of ${input.ticketCode} at ${input.gateId} refused: ${reason}`,
    detail: { ticketCode: input.ticketCode, merchantId: input.merchantId },
  });
}
