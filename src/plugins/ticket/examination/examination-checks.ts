import type { Envelope, SignedFrame } from '../../../protocol/envelope.js';
import { openPart } from '../../../protocol/signed-part.js';
import { TICKET_CERTIFICATE_TYPE, ticketCertificateBody, ticketKid, type TicketCertificateBody } from '../model/ticket-certificate.js';
import { TICKET_DATA_TYPE, ticketDataBody, type TicketDataBody } from '../model/ticket-information.js';
import type { TicketStatus, VariableTicketInformation } from '../model/ticket-status.js';
import { applyInstruction, type InstructionCode } from '../model/ticket-templates.js';
import type { FieldsOf } from '../../../protocol/message.js';
import type { examinationCertificate, ticketExamination, ticketExaminationResponse, ticketPresentation } from './examination.messages.js';
import { carriesSignatureOf, proximitySignatureVerifies } from './proximity-frame.js';
import { samePattern } from './test-pattern.js';

export type PresentationFields = FieldsOf<typeof ticketPresentation>;
export type ExaminationFields = FieldsOf<typeof ticketExamination>;
export type ExaminationResponseFields = FieldsOf<typeof ticketExaminationResponse>;
export type ExaminationCertificateFields = FieldsOf<typeof examinationCertificate>;

export type Check<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };
const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

export interface TicketState {
  readonly status: TicketStatus;
  readonly variable: VariableTicketInformation;
}

export function sameTicketState(a: TicketState, b: TicketState): boolean {
  return (
    a.status.registration === b.status.registration &&
    a.status.transferable === b.status.transferable &&
    a.status.use === b.status.use &&
    a.variable.couponsLeft === b.variable.couponsLeft
  );
}

/** What the gate knows about a ticket kind it examines (its ticket list 2409 entry), as the checks need it. */
export interface ExaminableKind {
  readonly ticketCode: string;
  readonly issuerId: string;
  readonly instruction: InstructionCode;
  readonly validUntil: number;
  /** The issuer's signing key when the SP gave it with the examination module; without it only the IDs are checked. */
  readonly issuerSigningPublicKey: Uint8Array | null;
}

export interface PresentedTicket {
  readonly certificate: TicketCertificateBody;
  readonly ticketData: TicketDataBody;
  /** The ticket status and variable information the instruction turns the presented ones into. */
  readonly expected: TicketState;
}

/**
 * The gate's verification of a ticket presentation 6701 ([1641]): the certificate is a registered ticket certificate
 * signed by the service provider and within its validity term; the presentation ticket is the issuer's ticket data
 * for this ticket; the ticket signature key of the certificate signed the status, variable information, ticket ID and
 * issued time; and the status allows the examination module's instruction.
 */
export function checkPresentation(envelope: Envelope, frame: SignedFrame, fields: PresentationFields, kind: ExaminableKind, sp: { readonly id: string; readonly signingPublicKey: Uint8Array }, now: number): Check<PresentedTicket> {
  if (kind.validUntil < now) return fail(`the setup of ${kind.ticketCode} expired`);
  const certificate = openPart(envelope, TICKET_CERTIFICATE_TYPE, fields.ticketCertificate, ticketCertificateBody, [sp.id], (kid) => (kid === sp.id ? sp.signingPublicKey : undefined));
  if (!certificate.ok) return fail(certificate.reason);
  const cert = certificate.body;
  if (!cert.registered) return fail('the ticket certificate is not a registered ticket certificate');
  if (cert.ticketId !== fields.ticketId || cert.ticketCode !== kind.ticketCode) return fail('the ticket certificate is for another ticket');
  if (cert.validFrom > now || cert.validUntil < now) return fail('the ticket certificate is outside its validity term');
  const issuerKey = kind.issuerSigningPublicKey;
  const data = openPart(envelope, TICKET_DATA_TYPE, fields.presentationTicket, ticketDataBody, issuerKey === null ? [] : [kind.issuerId], (kid) => (kid === kind.issuerId && issuerKey !== null ? issuerKey : undefined));
  if (!data.ok) return fail(data.reason);
  if (data.body.ticketId !== fields.ticketId || data.body.ticketCode !== kind.ticketCode || data.body.issuerId !== kind.issuerId) return fail('the presentation ticket is for another ticket');
  if (!proximitySignatureVerifies(envelope, frame, 'ticketPresentation', ticketKid(fields.ticketId), cert.signingPublicKey)) return fail('the ticket signature does not verify');
  if (fields.ticketStatus.registration !== 'registered') return fail('the ticket is not registered');
  const result = applyInstruction(kind.instruction, fields.ticketStatus, fields.variableTicketInformation);
  if (!result.ok) return fail(result.reason);
  return { ok: true, value: { certificate: cert, ticketData: data.body, expected: { status: result.status, variable: result.variable } } };
}

/** An examination the gate has answered with 6702 and waits to see answered by 6703. */
export interface PendingExamination {
  readonly transactionNumber: number;
  readonly requestNumber: string;
  readonly ticketId: string;
  readonly ticketCode: string;
  readonly gateId: string;
  readonly merchantId: string;
  readonly ticketTestPattern: Uint8Array;
  readonly signingPublicKey: Uint8Array;
  readonly holder: string;
  readonly expected: TicketState;
}

/**
 * The gate's verification of a ticket examination response 6703 ([1649], [1650]): the ticket test pattern authorises the
 * ticket; the response answers this examination; the status and variable information changed exactly as the
 * instruction code says; the ticket signature verifies; the ticket's holder signed too (the gate has no user keys:
 * the service providing system verifies that signature at reference, [1660]).
 */
export function checkExaminationResponse(envelope: Envelope, frame: SignedFrame, fields: ExaminationResponseFields, pending: PendingExamination): Check<null> {
  if (!samePattern(fields.ticketTestPattern, pending.ticketTestPattern)) return fail('the ticket test pattern does not match: the ticket is not genuine');
  if (fields.requestNumber !== pending.requestNumber || fields.ticketId !== pending.ticketId || fields.ticketCode !== pending.ticketCode) return fail('the response answers another examination');
  if (fields.gateId !== pending.gateId || fields.merchantId !== pending.merchantId) return fail('the response names another gate or merchant');
  if (!sameTicketState({ status: fields.ticketStatus, variable: fields.variableTicketInformation }, pending.expected)) return fail('the ticket status or variable information did not change as the instruction code says');
  if (!proximitySignatureVerifies(envelope, frame, 'ticketExaminationResponse', ticketKid(fields.ticketId), pending.signingPublicKey)) return fail('the ticket signature does not verify');
  if (fields.userId !== pending.holder || !carriesSignatureOf(frame, pending.holder)) return fail(`the response is not signed by the ticket's holder ${pending.holder}`);
  return { ok: true, value: null };
}

/** What the terminal sent in its presentation and checks the gate's answer against. */
export interface PresentedByTerminal {
  readonly requestNumber: string;
  readonly ticketId: string;
  readonly gateId: string;
  readonly gateTestPattern: Uint8Array;
  readonly state: TicketState;
}

/**
 * The terminal's verification of a ticket examination 6702 ([1647]): the gate returned the gate test pattern (only a
 * genuine gate can open it), for this presentation, with an instruction the ticket can follow. Returns the new state.
 */
export function checkExaminationAtTerminal(fields: ExaminationFields, presented: PresentedByTerminal): Check<TicketState & { readonly instruction: InstructionCode }> {
  if (fields.requestNumber !== presented.requestNumber || fields.ticketId !== presented.ticketId || fields.gateId !== presented.gateId) return fail('the examination answers another presentation');
  if (fields.gateTestPattern === null || fields.instructionCode === null || fields.ticketTestPattern === null) return fail('the examination carries no test pattern or instruction');
  if (!samePattern(fields.gateTestPattern, presented.gateTestPattern)) return fail('the gate test pattern does not match: the gate is not genuine');
  const result = applyInstruction(fields.instructionCode, presented.state.status, presented.state.variable);
  if (!result.ok) return fail(`instruction ${fields.instructionCode}: ${result.reason}`);
  return { ok: true, value: { status: result.status, variable: result.variable, instruction: fields.instructionCode } };
}
