import type { EntityManager } from 'typeorm';
import { toBase64 } from '../../../common/bytes.js';
import { encodeCanonical } from '../../../protocol/cbor.js';
import type { TaskHandler } from '../../../core/outbox-dispatcher.js';
import { transactionalTask } from '../../../core/transactional-task.js';
import type { FieldsOf } from '../../../protocol/message.js';
import { openPart, signPart } from '../../../protocol/signed-part.js';
import type { PluginServices } from '../../plugin.contract.js';
import { generateElectronicTicket } from '../generation/generate-electronic-ticket.js';
import { TICKET_DATA_TYPE, ticketDataBody } from '../model/ticket-information.js';
import { RegisteredTicketEntity } from '../persistence/registered-ticket.entity.js';
import { TicketIssuedDataEntity } from '../modification/ticket-issued-data.entity.js';
import { auditTicketEvent } from '../modification/ticket-audit.js';
import { managementForCommission } from './management-for-commission.js';
import { customerNumberIn } from '../persistence/customer-table.js';
import { issuerOfInstallationCard } from './installation-card-list.js';
import {
  ISSUER_INSTALLATION_INFORMATION_TYPE,
  SP_INSTALLATION_INFORMATION_TYPE,
  installationIssuingInformationBody,
  type InstallationRefusal,
  type electronicTicketInstallationCommission,
  type electronicTicketInstallationMessage,
} from './installation.messages.js';

export const RESOLVE_INSTALLATION_TASK = 'ticket-installation.resolve';
export const GENERATE_INSTALLATION_TASK = 'ticket-installation.generate';

export interface ResolveInstallationInput {
  readonly pg: string;
  readonly userId: string;
  readonly installationCardNumber: string;
}

export type ResolveInstallationResult =
  | { readonly outcome: 'found'; readonly issuerId: string; readonly customerNumber: string }
  | { readonly outcome: 'refused'; readonly responseCode: InstallationRefusal };

/** [1700]: the issuer of the card from the installation card list, and the user's customer number there ([1701]). */
export function resolveInstallationTask(services: PluginServices): TaskHandler {
  return transactionalTask<ResolveInstallationInput, ResolveInstallationResult>(services.dataSource, services.clock, async (input, em) => {
    const now = services.clock.now();
    const issuerId = await issuerOfInstallationCard(em, input.installationCardNumber);
    if (issuerId === null) {
      await auditTicketEvent(em, { at: now, category: 'refusal', reason: 'installation-unknown-card', principal: input.userId, pg: input.pg, message: `installation card ${input.installationCardNumber} is on no issuer's installation card list` });
      return { outcome: 'refused', responseCode: 'unknown-card' };
    }
    const customerNumber = await customerNumberIn(em, services.crypto, issuerId, input.userId, now);
    return { outcome: 'found', issuerId, customerNumber };
  });
}

export interface GenerateInstallationInput {
  readonly pg: string;
  readonly userId: string;
  readonly requestNumber: string;
  readonly issuerId: string;
  readonly installationCardNumber: string;
  readonly commission: FieldsOf<typeof electronicTicketInstallationCommission>;
}

/** The 7704 fields, CBOR then base64 (a task result is JSON; the ticket holds bytes). */
export type GenerateInstallationResult = { readonly outcome: 'installed'; readonly ticketId: string; readonly message: string } | { readonly outcome: 'refused'; readonly responseCode: InstallationRefusal };

/**
 * [1706]: the installation commission 7703 is checked (the issuer's signatures on the ticket issuing information and
 * the ticket data, that they answer this request and card) and the electronic ticket is generated exactly as in the
 * purchase ([1602]-[1605]), entered in the user ticket list 4610, and put in the installation message 7704.
 */
export function generateInstallationTask(services: PluginServices): TaskHandler {
  return transactionalTask<GenerateInstallationInput, GenerateInstallationResult>(services.dataSource, services.clock, async (input, em) => {
    const result = await generate(services, em, input);
    if (typeof result === 'string') {
      await auditTicketEvent(em, { at: services.clock.now(), category: 'refusal', reason: 'installation-commission', principal: input.issuerId, pg: input.pg, message: `installation commission refused: ${result}` });
      return { outcome: 'refused', responseCode: 'ticket-unavailable' };
    }
    return result;
  });
}

async function generate(services: PluginServices, em: EntityManager, input: GenerateInstallationInput): Promise<GenerateInstallationResult | string> {
  const { envelope } = services;
  const now = services.clock.now();
  const { commission } = input;
  if (commission.ticketIssuerId !== input.issuerId) return `commission names ${commission.ticketIssuerId}, not ${input.issuerId}`;
  if (commission.requestNumber !== input.requestNumber) return `commission answers request ${commission.requestNumber}`;
  const issuerKey = await services.identity.signingKey(input.issuerId, now);
  if (!issuerKey.usable) return `issuer key of ${input.issuerId}: ${issuerKey.reason}`;
  const keyOf = (kid: string) => (kid === input.issuerId ? issuerKey.publicKey : undefined);
  const information = openPart(envelope, ISSUER_INSTALLATION_INFORMATION_TYPE, commission.ticketIssuingInformation, installationIssuingInformationBody, [input.issuerId], keyOf);
  if (!information.ok) return information.reason;
  const data = openPart(envelope, TICKET_DATA_TYPE, commission.ticketData, ticketDataBody, [input.issuerId], keyOf);
  if (!data.ok) return data.reason;
  const info = information.body;
  if (info.transactionNumber !== commission.transactionNumber || info.requestNumber !== input.requestNumber || info.installationCardNumber !== input.installationCardNumber) return 'ticket issuing information does not match the commission';
  if (info.ticketId !== data.body.ticketId || data.body.ticketCode !== commission.ticketCode || data.body.issuerId !== input.issuerId) return 'ticket data does not match the commission';
  if ((await em.getRepository(RegisteredTicketEntity).findOneBy({ ticketId: data.body.ticketId })) !== null) return `ticket ${data.body.ticketId} was issued before`;
  const management = await managementForCommission(services, em, { ticketCode: commission.ticketCode, templateCode: commission.templateCode, issuerId: input.issuerId, title: data.body.information.title, date: data.body.information.date, now });
  if (typeof management === 'string') return management;
  const generated = generateElectronicTicket(
    { envelope, crypto: services.crypto, spSigner: services.spSigner },
    { management, ticketData: commission.ticketData, holder: input.userId, representativeComponent: commission.representativeComponentInformation, purchase: { requestNumber: input.requestNumber, transactionNumber: commission.transactionNumber, clearing: 'spontaneous' }, now },
  );
  await em.getRepository(RegisteredTicketEntity).save(generated.row);
  await em.getRepository(TicketIssuedDataEntity).save({ ticketId: generated.ticket.ticketId, ticketData: toBase64(commission.ticketData), representativeComponent: commission.representativeComponentInformation, origin: 'installation', updatedAt: now });
  const spInformation = signPart(
    envelope,
    SP_INSTALLATION_INFORMATION_TYPE,
    { transactionNumber: commission.transactionNumber, requestNumber: input.requestNumber, ticketId: generated.ticket.ticketId, certificateId: generated.row.certificateId, userId: input.userId, serviceProviderId: services.spId, issuedAt: now },
    [services.spSigner],
  );
  const fields: FieldsOf<typeof electronicTicketInstallationMessage> = {
    transactionNumber: commission.transactionNumber,
    issuerTicketIssuingInformation: commission.ticketIssuingInformation,
    ticketIssuingInformation: spInformation,
    requestNumber: input.requestNumber,
    electronicTicket: generated.ticket,
    serviceProviderId: services.spId,
  };
  return { outcome: 'installed', ticketId: generated.ticket.ticketId, message: toBase64(encodeCanonical(fields)) };
}
