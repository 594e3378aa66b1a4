import { fromBase64, toBase64 } from '../../../common/bytes.js';
import type { CryptoBackend } from '../../../protocol/crypto/crypto-backend.js';
import type { Envelope, Signer } from '../../../protocol/envelope.js';
import { InvariantError } from '../../../protocol/errors.js';
import { openPart } from '../../../protocol/signed-part.js';
import type { ElectronicTicket } from '../model/electronic-ticket.js';
import { TICKET_DATA_TYPE, ticketDataBody, type TicketDataBody } from '../model/ticket-information.js';
import { initialTicketState, templateOf, type TicketTemplate } from '../model/ticket-templates.js';
import { RegisteredTicketEntity } from '../persistence/registered-ticket.entity.js';
import type { TicketManagementEntity } from '../persistence/ticket-management.entity.js';
import { certifyNewTicketKey } from './ticket-certificate-issuer.js';

/** What generation needs of the platform: the envelope and crypto, and the SP's signer for the certificate. */
export interface TicketGenerationDeps {
  readonly envelope: Envelope;
  readonly crypto: CryptoBackend;
  readonly spSigner: Signer;
}

/** The management row fields generation reads (ticket code, issuer, template, the ticket kind's keys, validity). */
export type TicketManagementRow = Pick<TicketManagementEntity, 'ticketCode' | 'issuerId' | 'templateCode' | 'ticketPublicKey' | 'ticketPrivateKey' | 'gatePublicKey' | 'validUntil'>;

export interface TicketGenerationRequest {
  readonly management: TicketManagementRow;
  /**
   * One ticket's ticket data 9208 as the issuer signed it (ticket ID 9216, ticket information 9217, issuer ID 9218):
   * it becomes the presentation ticket 1902 unchanged. The caller has verified the issuer's signature.
   */
  readonly ticketData: Uint8Array;
  /** The user the ticket is issued to (the user ticket list 4610). */
  readonly holder: string;
  /** Representative component information 9209 from the commission, or null for the template's default ([1603]). */
  readonly representativeComponent: Readonly<Record<string, string>> | null;
  /** The purchase that issues it. */
  readonly purchase: { readonly requestNumber: string; readonly transactionNumber: string; readonly clearing: 'spontaneous' | 'delayed' };
  readonly now: number;
}

export interface GeneratedTicket {
  readonly ticket: ElectronicTicket;
  /** The user ticket list row (lifecycle 'issued') to save with the purchase. */
  readonly row: RegisteredTicketEntity;
  readonly ticketData: TicketDataBody;
}

/** Reads the body of issuer-signed ticket data without checking the signature (the caller did). */
export function readTicketData(envelope: Envelope, ticketData: Uint8Array): TicketDataBody {
  const opened = openPart(envelope, TICKET_DATA_TYPE, ticketData, ticketDataBody, [], () => undefined);
  if (!opened.ok) throw new InvariantError(`ticket data: ${opened.reason}`);
  return opened.body;
}

/**
 * Electronic ticket generation [1602]-[1605]: the ticket program from the template's transaction and display modules
 * with the ticket private key and gate public key of the management information 5300; the ticket status 1907 and
 * variable ticket information 1908 from the usage conditions of the ticket information; a fresh ticket signature key
 * pair and its SP-signed certificate 1903; the issuer-signed ticket data as the presentation ticket 1902.
 * Pure but for the fresh keys: nothing is saved here.
 *
 * @example
 * const { ticket, row } = generateElectronicTicket({ envelope, crypto, spSigner }, { management, ticketData, holder: 'usr:alice', representativeComponent: null, purchase, now });
 */
/** The ticket program 1901 ([1604]): the template's modules with the ticket kind's keys from its management information. */
export function ticketProgramOf(template: TicketTemplate, management: Pick<TicketManagementRow, 'ticketPrivateKey' | 'ticketPublicKey' | 'gatePublicKey'>): ElectronicTicket['program'] {
  return {
    templateCode: template.templateCode,
    transactionModule: { ...template.transactionModule },
    displayModule: { ...template.displayModule },
    ticketSealingSecretKey: fromBase64(management.ticketPrivateKey),
    ticketSealingPublicKey: fromBase64(management.ticketPublicKey),
    gateSealingPublicKey: fromBase64(management.gatePublicKey),
  };
}

export function generateElectronicTicket(deps: TicketGenerationDeps, request: TicketGenerationRequest): GeneratedTicket {
  const { management, now } = request;
  const data = readTicketData(deps.envelope, request.ticketData);
  if (data.ticketCode !== management.ticketCode) throw new InvariantError(`ticket data is for ${data.ticketCode}, management information for ${management.ticketCode}`);
  if (data.issuerId !== management.issuerId) throw new InvariantError(`ticket data is from ${data.issuerId}, the ticket code belongs to ${management.issuerId}`);
  const template = templateOf(management.templateCode);
  if (template === undefined) throw new InvariantError(`no electronic ticket template ${management.templateCode}`);
  const { status, variable } = initialTicketState(data.information);
  const key = certifyNewTicketKey(deps, { ticketId: data.ticketId, ticketCode: data.ticketCode, holder: request.holder, registered: false, validFrom: now, validUntil: management.validUntil, now });
  const ticket: ElectronicTicket = {
    ticketId: data.ticketId,
    ticketCode: data.ticketCode,
    issuerId: data.issuerId,
    program: ticketProgramOf(template, management),
    presentationTicket: request.ticketData,
    certificate: key.certificate,
    status,
    variable,
    representativeComponent: { ...(request.representativeComponent ?? template.defaultRepresentativeComponent) },
    signingSecretKey: key.signingSecretKey,
  };
  const row = Object.assign(new RegisteredTicketEntity(), {
    ticketId: data.ticketId,
    ticketCode: data.ticketCode,
    issuerId: data.issuerId,
    userId: request.holder,
    lifecycle: 'issued' as const,
    certificateId: key.body.certificateId,
    certificate: toBase64(key.certificate),
    signingPublicKey: toBase64(key.signingPublicKey),
    status,
    variable,
    examinationNumber: 0,
    formerUsers: [],
    requestNumber: request.purchase.requestNumber,
    transactionNumber: request.purchase.transactionNumber,
    clearing: request.purchase.clearing,
    issuedAt: now,
    updatedAt: now,
  });
  return { ticket, row, ticketData: data };
}
