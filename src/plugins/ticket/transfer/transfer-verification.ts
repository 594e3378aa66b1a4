import type { EntityManager } from 'typeorm';
import { fromBase64 } from '../../../common/bytes.js';
import { CertificateEntity, UserListEntity } from '../../../persistence/entities/index.js';
import type { Envelope } from '../../../protocol/envelope.js';
import type { KeyDirectory } from '../../../protocol/codec.js';
import { ticketKid } from '../model/ticket-certificate.js';
import { TICKET_DATA_TYPE } from '../model/ticket-information.js';
import { ticketStatus, USE_PROGRESS, variableTicketInformation, type TicketStatus, type VariableTicketInformation } from '../model/ticket-status.js';
import { RegisteredTicketEntity } from '../persistence/registered-ticket.entity.js';
import { readPresentationTicket, type Checked } from './transfer-checks.js';
import { readTransferCertificate, signedBy, type ReadTransferCertificate } from './transfer-certificate-reader.js';
import { TicketTransferEntity } from './ticket-transfer.entity.js';

/** A transfer certificate that passed every check of [1689], with the rows it is about. */
export interface VerifiedTransfer {
  readonly certificate: ReadTransferCertificate;
  readonly row: RegisteredTicketEntity;
  readonly sender: CertificateEntity;
  readonly recipient: CertificateEntity;
}


const refuse = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/**
 * The service director's checks of [1689], in the spec's order: sender and recipient identified from the certificate
 * IDs 11806 / 11807 through the user list; user A's and the ticket's signatures on the certificate; then what the
 * registered ticket list says: A holds the ticket, its lifecycle and the issuer's status let it be transferred
 * ([1668]), the status A certifies does not undo what the SP has seen, and the certificate was not used before.
 */
export async function verifyTransfer(em: EntityManager, envelope: Envelope, keys: KeyDirectory, requesterId: string, certificateBytes: Uint8Array, at: number): Promise<Checked<VerifiedTransfer>> {
  const read = readTransferCertificate(envelope, certificateBytes);
  if (!read.ok) return read;
  const certificate = read.value;
  const fields = certificate.fields;
  if (certificate.to !== requesterId) return refuse(`the transfer certificate is addressed to ${certificate.to}, not to ${requesterId}`);
  const recipient = await userCertificate(em, fields.recipientCertificateId, at);
  const sender = await userCertificate(em, fields.senderCertificateId, at);
  if (recipient === undefined || sender === undefined) return refuse('a user public key certificate named by the transfer certificate is unknown, revoked or expired');
  if (recipient.subjectId !== requesterId) return refuse(`recipient certificate ${recipient.id} is ${recipient.subjectId}'s, not the requester's`);
  if (sender.subjectId !== certificate.from) return refuse(`sender certificate ${sender.id} is ${sender.subjectId}'s, not the signer's ${certificate.from}`);
  if ((await em.getRepository(UserListEntity).countBy([{ userId: sender.subjectId, status: 'active' }, { userId: recipient.subjectId, status: 'active' }])) !== 2) {
    return refuse('sender or recipient is not an active user of the user list');
  }
  if (!signedBy(envelope, certificate, certificate.from, fromBase64(sender.signingPublicKey))) return refuse(`user ${certificate.from}'s signature on the transfer certificate does not verify`);
  const row = await em.getRepository(RegisteredTicketEntity).findOne({ where: { ticketId: fields.ticketId }, ...(em.connection.options.type === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  if (row === null) return refuse(`ticket ${fields.ticketId} is not in the registered ticket list`);
  if (row.userId !== certificate.from) return refuse(`ticket ${fields.ticketId} is held by another user than ${certificate.from}: already transferred or never theirs`);
  if (!signedBy(envelope, certificate, ticketKid(fields.ticketId), fromBase64(row.signingPublicKey))) return refuse('the ticket signature does not verify with the ticket certificate in force');
  const stateProblem = checkStatus(row, fields.ticketStatus, fields.variableTicketInformation);
  if (stateProblem !== null) return refuse(stateProblem);
  const presentationProblem = await checkPresentation(envelope, keys, row, fields.presentationTicket, at);
  if (presentationProblem !== null) return refuse(presentationProblem);
  if ((await em.getRepository(TicketTransferEntity).countBy({ transferOfferNumber: fields.transferOfferNumber, acceptanceNumber: fields.acceptanceNumber })) > 0) {
    return refuse('this transfer certificate was already used');
  }
  return { ok: true, value: { certificate, row, sender, recipient } };
}

async function userCertificate(em: EntityManager, id: string, at: number): Promise<CertificateEntity | undefined> {
  const row = await em.getRepository(CertificateEntity).findOneBy({ id });
  if (row === null || row.revokedAt !== null || at < row.validFrom || at > row.validUntil || !row.subjectId.startsWith('usr:')) return undefined;
  return row;
}

/**
 * [1668] and the safe reading of [1689] ("changes the ticket status and the variable ticket information to those of the
 * certificate"): the SP takes A's status only if the issuer's transferable flag and the registration are unchanged and
 * the use and the coupons left have not gone back from what the SP has verified.
 */
function checkStatus(row: RegisteredTicketEntity, status: TicketStatus, variable: VariableTicketInformation): string | null {
  const known = ticketStatus.safeParse(row.status);
  const knownVariable = variableTicketInformation.safeParse(row.variable);
  if (!known.success || !knownVariable.success) return `registered ticket ${row.ticketId} has no readable status`;
  if (row.lifecycle !== 'issued' && row.lifecycle !== 'registered') return `ticket ${row.ticketId} is ${row.lifecycle}`;
  if (!known.data.transferable) return `ticket ${row.ticketId} is not transferable`;
  if (!status.transferable || status.registration !== known.data.registration) return 'the certified ticket status differs from the registered one';
  if (USE_PROGRESS[status.use] < USE_PROGRESS[known.data.use]) return `the certified ticket status goes back from ${known.data.use} to ${status.use}`;
  const left = knownVariable.data.couponsLeft;
  if ((left === null) !== (variable.couponsLeft === null) || (left !== null && variable.couponsLeft !== null && variable.couponsLeft > left)) return 'the certified coupons left exceed the registered ones';
  return null;
}

/** The presentation ticket 11801: the registered ticket's own data, signed by its issuer (whose key the SP holds). */
async function checkPresentation(envelope: Envelope, keys: KeyDirectory, row: RegisteredTicketEntity, presentationTicket: Uint8Array, at: number): Promise<string | null> {
  const read = readPresentationTicket(envelope, presentationTicket);
  if (!read.ok) return read.reason;
  const body = read.value.body;
  if (body.ticketId !== row.ticketId || body.ticketCode !== row.ticketCode || body.issuerId !== row.issuerId) return 'the presentation ticket is not the registered ticket';
  const issuerKey = await keys.signingKey(row.issuerId, at);
  if (!issuerKey.usable) return `issuer ${row.issuerId}'s key is ${issuerKey.reason}`;
  if (!envelope.verify(TICKET_DATA_TYPE, read.value.bodyBytes, read.value.issuerSignature, issuerKey.publicKey)) return "the presentation ticket's issuer signature does not verify";
  return null;
}
