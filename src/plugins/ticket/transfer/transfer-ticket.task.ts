import type { EntityManager } from 'typeorm';
import { fromBase64, toBase64, toHex } from '../../../common/bytes.js';
import { transactionalTask } from '../../../core/transactional-task.js';
import type { TaskHandler } from '../../../core/outbox-dispatcher.js';
import { AuditRecordEntity } from '../../../persistence/entities/index.js';
import { encodeCanonical } from '../../../protocol/cbor.js';
import { openPart, signPart } from '../../../protocol/signed-part.js';
import type { PluginServices } from '../../plugin.contract.js';
import { certifyNewTicketKey } from '../generation/ticket-certificate-issuer.js';
import type { ElectronicTicket } from '../model/electronic-ticket.js';
import { TICKET_CERTIFICATE_TYPE, ticketCertificateBody } from '../model/ticket-certificate.js';
import { templateOf } from '../model/ticket-templates.js';
import { ticketProgramOf } from '../generation/generate-electronic-ticket.js';
import { RegisteredTicketEntity } from '../persistence/registered-ticket.entity.js';
import { TicketManagementEntity } from '../persistence/ticket-management.entity.js';
import { TicketTransferEntity } from './ticket-transfer.entity.js';
import { readTransferCertificate } from './transfer-certificate-reader.js';
import { TRANSFER_INFORMATION_TYPE, type TransferInformationBody } from './transfer.messages.js';
import { verifyTransfer, type VerifiedTransfer } from './transfer-verification.js';

export const TRANSFER_TICKET_TASK = 'ticket-transfer.transfer';

/** What the director hands the task: who asks, how, and the decrypted transfer certificate (base64). */
export interface TransferTicketInput {
  readonly pg: string;
  readonly requesterId: string;
  readonly terminalId: string;
  readonly requestedVia: 'request' | 'data-update';
  readonly transferCertificate: string;
}

/** The task's answer (JSON: bytes as base64). The ticket is the CBOR of the electronic ticket 11912. */
export type TransferTicketResult =
  | { readonly ok: true; readonly transferNumber: string; readonly acceptanceNumber: string; readonly transferInformation: string; readonly electronicTicket: string }
  | { readonly ok: false; readonly reason: string; readonly transferInformation: string };

/**
 * The service director's work of [1689]-[1691] in one transaction: verify, move the ticket from A's ticket list to B's,
 * a new ticket signature key pair and certificate (A's old key no longer verifies against the registered ticket list),
 * the former-user chain, the transfer record, the SP-signed transfer information. A refusal changes no list and
 * raises an alert to the management system in the same transaction.
 */
export function transferTicketTask(services: PluginServices): TaskHandler {
  return transactionalTask<TransferTicketInput, TransferTicketResult>(services.dataSource, services.clock, async (input, em) => {
    const now = services.clock.now();
    const certificate = fromBase64(input.transferCertificate);
    const verified = await verifyTransfer(em, services.envelope, services.identity, input.requesterId, certificate, now);
    if (!verified.ok) return refuse(services, em, input, certificate, verified.reason, now);
    return transfer(services, em, input, verified.value, now);
  });
}

async function transfer(services: PluginServices, em: EntityManager, input: TransferTicketInput, verified: VerifiedTransfer, now: number): Promise<TransferTicketResult> {
  const { row, certificate } = verified;
  const fields = certificate.fields;
  const management = await em.getRepository(TicketManagementEntity).findOneBy({ ticketCode: row.ticketCode });
  const template = management === null ? undefined : templateOf(management.templateCode);
  if (management === null || template === undefined) return refuse(services, em, input, fromBase64(input.transferCertificate), `no management information or template for ${row.ticketCode}`, now);
  const old = openPart(services.envelope, TICKET_CERTIFICATE_TYPE, fromBase64(row.certificate), ticketCertificateBody, [], () => undefined);
  const validUntil = old.ok ? old.body.validUntil : management.validUntil;
  const key = certifyNewTicketKey(services, { ticketId: row.ticketId, ticketCode: row.ticketCode, holder: verified.recipient.subjectId, registered: row.lifecycle === 'registered', validFrom: now, validUntil, now });
  const transferNumber = toHex(services.crypto.randomBytes(16));
  const ticket: ElectronicTicket & { examinationNumber: number } = {
    ticketId: row.ticketId,
    ticketCode: row.ticketCode,
    issuerId: row.issuerId,
    program: ticketProgramOf(template, management),
    presentationTicket: fields.presentationTicket,
    certificate: key.certificate,
    status: fields.ticketStatus,
    variable: fields.variableTicketInformation,
    // Neither the transfer certificate nor the lists carry A's representative component: the template's default ([1603]).
    representativeComponent: { ...template.defaultRepresentativeComponent },
    signingSecretKey: key.signingSecretKey,
    examinationNumber: row.examinationNumber,
  };
  const formerUserId = row.userId;
  const formerCertificateId = row.certificateId;
  await em.getRepository(RegisteredTicketEntity).save(
    Object.assign(row, {
      userId: verified.recipient.subjectId,
      certificateId: key.body.certificateId,
      certificate: toBase64(key.certificate),
      signingPublicKey: toBase64(key.signingPublicKey),
      status: fields.ticketStatus,
      variable: fields.variableTicketInformation,
      formerUsers: [...row.formerUsers, { userId: formerUserId, until: now, transferOfferNumber: fields.transferOfferNumber }],
      updatedAt: now,
    }),
  );
  await em.getRepository(TicketTransferEntity).insert({
    transferNumber,
    ticketId: row.ticketId,
    transferOfferNumber: fields.transferOfferNumber,
    acceptanceNumber: fields.acceptanceNumber,
    formerUserId,
    formerUserCertificateId: verified.sender.id,
    formerUserPublicKey: verified.sender.signingPublicKey,
    formerTicketCertificateId: formerCertificateId,
    userId: verified.recipient.subjectId,
    userCertificateId: verified.recipient.id,
    ticketCertificateId: key.body.certificateId,
    requestedVia: input.requestedVia,
    transferCertificate: input.transferCertificate,
    transferredAt: now,
  });
  const information: TransferInformationBody = {
    transferNumber,
    ticketId: row.ticketId,
    transferOfferNumber: fields.transferOfferNumber,
    formerUserId,
    userId: verified.recipient.subjectId,
    result: 'transferred',
    reason: null,
    ticketCertificateId: key.body.certificateId,
    transferredAt: now,
  };
  return { ok: true, transferNumber, acceptanceNumber: fields.acceptanceNumber, transferInformation: toBase64(signPart(services.envelope, TRANSFER_INFORMATION_TYPE, information, [services.spSigner])), electronicTicket: toBase64(encodeCanonical(ticket)) };
}

/** Nothing changes but the alert, written with the task's result so that a rerun raises it once. */
async function refuse(services: PluginServices, em: EntityManager, input: TransferTicketInput, certificate: Uint8Array, reason: string, now: number): Promise<TransferTicketResult> {
  const read = readTransferCertificate(services.envelope, certificate);
  const fields = read.ok ? read.value.fields : undefined;
  await em.getRepository(AuditRecordEntity).insert({
    at: now,
    category: 'alert',
    reason: 'ticket-transfer-refused',
    principal: input.requesterId,
    transport: input.terminalId,
    message: `ticket transfer of ${fields?.ticketId ?? 'an unreadable certificate'} to ${input.requesterId} refused: ${reason}`,
    detail: { pg: input.pg, requestedVia: input.requestedVia, ticketId: fields?.ticketId ?? null, sender: read.ok ? read.value.from : null, transferOfferNumber: fields?.transferOfferNumber ?? null },
  });
  const information: TransferInformationBody = {
    transferNumber: '0',
    ticketId: fields?.ticketId ?? '',
    transferOfferNumber: fields?.transferOfferNumber ?? '0',
    formerUserId: null,
    userId: input.requesterId,
    result: 'refused',
    reason: reason.slice(0, 300),
    ticketCertificateId: null,
    transferredAt: now,
  };
  return { ok: false, reason, transferInformation: toBase64(signPart(services.envelope, TRANSFER_INFORMATION_TYPE, information, [services.spSigner])) };
}
