import type { EntityManager } from 'typeorm';
import { fromBase64, toBase64 } from '../../../common/bytes.js';
import type { DataUpdateHook, HookContext, MirrorChange } from '../../../core/data-update/data-update-hook.js';
import type { DeviceRecord } from '../../../core/data-update/terminal-image.js';
import { transaction } from '../../../persistence/write-lock.js';
import { decodeStrict } from '../../../protocol/cbor.js';
import type { SignedFrame } from '../../../protocol/envelope.js';
import { headerSchema } from '../../../protocol/message.js';
import type { PluginServices } from '../../plugin.contract.js';
import type { ExaminationResponseFields } from '../examination/examination-checks.js';
import { ticketExaminationResponse } from '../examination/examination.messages.js';
import { proximitySignatureVerifies } from '../examination/proximity-frame.js';
import { ticketKid } from '../model/ticket-certificate.js';
import { ticketStatus, variableTicketInformation } from '../model/ticket-status.js';
import { templateOf } from '../model/ticket-templates.js';
import { RegisteredTicketEntity } from '../persistence/registered-ticket.entity.js';
import { TicketExaminationResponseEntity } from '../persistence/ticket-examination-response.entity.js';
import { TicketManagementEntity } from '../persistence/ticket-management.entity.js';
import { EXAMINATION_RECORD_KIND } from '../terminal/gate/gate-examiner.js';
import { authorizationReportKey, type AuthorizationReport } from './authorization-report.js';
import { checkExaminationNumber } from './examination-number-check.js';

interface DecodedResponse {
  readonly fields: ExaminationResponseFields;
  readonly to: string;
  readonly issuedAt: number;
  readonly frame: SignedFrame;
  readonly base64: string;
}

type Reference =
  | { readonly kind: 'referenced'; readonly result: 'accepted' | 'error'; readonly reason: string | null; readonly fresh: boolean }
  /** Not an examination this gate could have recorded: its memory was altered (the core halts it). */
  | { readonly kind: 'forged-record'; readonly reason: string };

/**
 * Ticket reference [1656]-[1663]: the gate's examination responses travel in its data update upload; each is verified
 * here ([1660]) and the result goes back in the update data into the gate's authorization report list 2511 ([1661],
 * [1663]). Errors (a copied ticket presented at two gates, a status that does not match its examination number, a
 * signature that does not verify) are raised to the management system as alerts ([1662]); the gate is not at fault for
 * them and carries on. A record no genuine gate could hold (another gate's response, a transaction number reused)
 * refuses the upload, which halts the gate as any altered memory does. A response already taken in is recognised.
 *
 * Reading: [1659] has the merchant processor open a service director per reference; here the data update director's
 * comparison task runs this check in the same process group (it needs the database and nothing else).
 */
export function examinationResponseHook(services: PluginServices, onAccepted: () => Promise<void>): DataUpdateHook {
  return {
    recordKinds: [EXAMINATION_RECORD_KIND],
    async verifyRecord(record, context) {
      if (context.deviceKind !== 'gate') return { accepted: false, reason: `ticket examination responses come from gate terminals, not a ${context.deviceKind}` };
      const decoded = decodeResponse(services, record);
      if (typeof decoded === 'string') return { accepted: false, reason: decoded };
      const { fields } = decoded;
      // [1660] first check: the response names the gate that uploads it and that gate's merchant.
      if (fields.gateId !== context.deviceId || decoded.to !== context.deviceId || fields.merchantId !== context.ownerId) {
        return { accepted: false, reason: `examination response ${fields.transactionNumber} names ${fields.gateId} of ${fields.merchantId}, not the uploading ${context.deviceId} of ${context.ownerId}` };
      }
      const reference = await transaction(services.dataSource, (em) => referenceResponse(services, em, decoded, context));
      if (reference.kind === 'forged-record') return { accepted: false, reason: reference.reason };
      if (reference.fresh && reference.result === 'error') await raiseAlert(services, context, fields, reference.reason ?? 'error');
      if (reference.fresh && reference.result === 'accepted') await onAccepted().catch(() => undefined);
      return { accepted: true, changes: [reportChange(fields, reference, context.now)] };
    },
    async contribute() {
      return [];
    },
  };
}

function decodeResponse(services: PluginServices, record: DeviceRecord): DecodedResponse | string {
  const payload = record.payload;
  const base64 = typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? payload['response'] : undefined;
  if (typeof base64 !== 'string') return `record ${record.id} carries no examination response`;
  try {
    const frame = services.envelope.decodeFrame(fromBase64(base64));
    if (frame.t !== 'signed') return `record ${record.id}: the examination response is not a signed frame`;
    const header = headerSchema.safeParse(decodeStrict(frame.b));
    if (!header.success || header.data.type !== ticketExaminationResponse.type) return `record ${record.id} is not a ticket examination response`;
    const fields = ticketExaminationResponse.fields.safeParse(header.data.fields);
    if (!fields.success) return `record ${record.id}: ${fields.error.issues[0]?.path.join('.') ?? ''} ${fields.error.issues[0]?.message ?? 'invalid'}`;
    return { fields: fields.data, to: header.data.to, issuedAt: header.data.issuedAt, frame, base64: toBase64(fromBase64(base64)) };
  } catch {
    return `record ${record.id}: the examination response does not decode`;
  }
}

async function referenceResponse(services: PluginServices, em: EntityManager, response: DecodedResponse, context: HookContext): Promise<Reference> {
  const { fields } = response;
  const id = `${fields.gateId}/${fields.transactionNumber}`;
  const responses = em.getRepository(TicketExaminationResponseEntity);
  const existing = await responses.findOneBy({ id });
  if (existing !== null) {
    if (existing.response === response.base64) return { kind: 'referenced', result: existing.result, reason: existing.reason, fresh: false };
    return { kind: 'forged-record', reason: `transaction number ${fields.transactionNumber} of ${fields.gateId} was taken in with another examination response` };
  }
  const verdict = await verify(services, em, response);
  await responses.insert({
    id,
    ticketId: fields.ticketId,
    ticketCode: fields.ticketCode,
    gateId: fields.gateId,
    merchantId: fields.merchantId,
    examinationNumber: fields.ticketExaminationNumber,
    transactionNumber: String(fields.transactionNumber),
    result: verdict === null ? 'accepted' : 'error',
    reason: verdict === null ? null : verdict.slice(0, 300),
    response: response.base64,
    examinedAt: response.issuedAt,
    referencedAt: context.now,
    reportedAt: null,
  });
  return { kind: 'referenced', result: verdict === null ? 'accepted' : 'error', reason: verdict, fresh: true };
}

/** The checks of [1660] after the IDs; null when the response is verified (and the SP's ticket record moved on). */
async function verify(services: PluginServices, em: EntityManager, response: DecodedResponse): Promise<string | null> {
  const { fields, frame } = response;
  // Locked on PostgreSQL so two gates' uploads of the same ticket are referenced one after the other (SQLite
  // serialises every write transaction already).
  const lock = em.connection.options.type === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {};
  const ticket = await em.getRepository(RegisteredTicketEntity).findOne({ where: { ticketId: fields.ticketId }, ...lock });
  if (ticket === null || ticket.lifecycle !== 'registered') return `ticket ${fields.ticketId} is not on the registered ticket list${ticket === null ? '' : ` (${ticket.lifecycle})`}`;
  if (ticket.ticketCode !== fields.ticketCode) return `ticket ${fields.ticketId} is a ${ticket.ticketCode}, not a ${fields.ticketCode}`;
  if (fields.userId !== ticket.userId) return `the response is signed for ${fields.userId}, the ticket's user is ${ticket.userId}`;
  const userKey = await services.identity.signingKey(fields.userId, response.issuedAt);
  if (!userKey.usable || !proximitySignatureVerifies(services.envelope, frame, ticketExaminationResponse.type, fields.userId, userKey.publicKey)) return `the user's signature of ${fields.userId} does not verify`;
  if (!proximitySignatureVerifies(services.envelope, frame, ticketExaminationResponse.type, ticketKid(fields.ticketId), fromBase64(ticket.signingPublicKey))) return 'the ticket signature does not verify with the registered ticket certificate';
  const management = await em.getRepository(TicketManagementEntity).findOneBy({ ticketCode: fields.ticketCode });
  const template = management === null ? undefined : templateOf(management.templateCode);
  if (template === undefined) return `no examination module for ${fields.ticketCode}`;
  const verified = { number: ticket.examinationNumber, state: { status: ticketStatus.parse(ticket.status), variable: variableTicketInformation.parse(ticket.variable) } };
  const state = { status: fields.ticketStatus, variable: fields.variableTicketInformation };
  if (fields.ticketExaminationNumber <= verified.number) {
    const twin = await em.getRepository(TicketExaminationResponseEntity).findOneBy({ ticketId: fields.ticketId, examinationNumber: fields.ticketExaminationNumber, result: 'accepted' });
    if (twin !== null) return `copied ticket: examination ${fields.ticketExaminationNumber} of ${fields.ticketId} was already made at ${twin.gateId} (transaction ${twin.transactionNumber})`;
  }
  const check = checkExaminationNumber(template.examinationModule.instruction, verified, { number: fields.ticketExaminationNumber, state });
  if (!check.ok) return check.reason;
  if (!check.advances) return null;
  // Conditional on the number read, so two gates' uploads of the same examination number cannot both move it.
  const moved = await em
    .getRepository(RegisteredTicketEntity)
    .update({ ticketId: fields.ticketId, examinationNumber: verified.number }, { examinationNumber: fields.ticketExaminationNumber, status: state.status, variable: state.variable, updatedAt: response.issuedAt });
  if (moved.affected === 0) throw new Error(`registered ticket ${fields.ticketId} changed under its lock`);
  return null;
}

function reportChange(fields: ExaminationResponseFields, reference: Extract<Reference, { kind: 'referenced' }>, now: number): MirrorChange {
  const report: AuthorizationReport = {
    transactionNumber: fields.transactionNumber,
    ticketId: fields.ticketId,
    ticketExaminationNumber: fields.ticketExaminationNumber,
    result: reference.result === 'accepted' ? 'accepted' : 'refused',
    reason: reference.reason,
    referencedAt: now,
  };
  return { area: 'serviceData', key: authorizationReportKey(fields.transactionNumber), item: { value: { ...report }, accessedAt: now } };
}

async function raiseAlert(services: PluginServices, context: HookContext, fields: ExaminationResponseFields, reason: string): Promise<void> {
  await services.audit.record({
    category: 'alert',
    reason: 'ticket-reference',
    principal: context.deviceId,
    message: `ticket ${fields.ticketId}, examination ${fields.ticketExaminationNumber} at ${fields.gateId}: ${reason}`,
    detail: { ticketId: fields.ticketId, ticketCode: fields.ticketCode, gateId: fields.gateId, merchantId: fields.merchantId, transactionNumber: fields.transactionNumber, ticketExaminationNumber: fields.ticketExaminationNumber },
  });
}
