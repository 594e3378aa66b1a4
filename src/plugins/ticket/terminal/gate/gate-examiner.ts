import { toBase64, toHex } from '../../../../common/bytes.js';
import type { TerminalModuleHost } from '../../../../devices/modules/terminal-module.js';
import type { Signer } from '../../../../protocol/envelope.js';
import { isProtocolError } from '../../../../protocol/errors.js';
import type { DeviceId } from '../../../../protocol/ids.js';
import type { MessageDefinition } from '../../../../protocol/message.js';
import { openPart } from '../../../../protocol/signed-part.js';
import { checkExaminationResponse, checkPresentation, type ExaminationResponseFields, type PendingExamination, type PresentationFields } from '../../examination/examination-checks.js';
import { examinationCertificate, ticketExamination, ticketExaminationResponse, ticketPresentation } from '../../examination/examination.messages.js';
import { composeProximity, openProximity, type OpenedProximityFrame } from '../../examination/proximity-frame.js';
import { gatePatternLabel, newTestPattern, openTestPattern, sealTestPattern, ticketPatternLabel } from '../../examination/test-pattern.js';
import { TICKET_DATA_TYPE, ticketDataBody } from '../../model/ticket-information.js';
import type { ModuleStore } from '../../../../devices/modules/module-store.js';
import { TRANSACTION_LIST_CAPACITY, type GateState, type GateTicketEntry } from './gate-state.js';

export const EXAMINATION_RECORD_KIND = 'ticket.examinationResponse';
const INBOUND: readonly MessageDefinition[] = [ticketPresentation, ticketExaminationResponse];

/** What happened to one frame the gate received, for the gate's display ([1653]: the results of examination). */
export type GateEvent =
  | { readonly kind: 'refused'; readonly stage: 'presentation' | 'response'; readonly ticketId: string | null; readonly from: string; readonly reason: string }
  | { readonly kind: 'answered'; readonly ticketId: string; readonly transactionNumber: number; readonly from: string }
  | { readonly kind: 'examined'; readonly ticketId: string; readonly ticketCode: string; readonly transactionNumber: number; readonly ticketExaminationNumber: number; readonly from: string; readonly opened: boolean }
  | { readonly kind: 'ignored'; readonly reason: string };

interface Pending extends PendingExamination {
  readonly expiresAt: number;
  readonly from: DeviceId;
  readonly entry: GateTicketEntry;
}

export interface GateExaminerOptions {
  readonly maxSkewMs: number;
  /** How long an answered presentation waits for its examination response. */
  readonly responseTimeoutMs: number;
  readonly onEvent: (event: GateEvent) => void;
}

/**
 * The gate's side of ticket examination [1640]-[1653], over the proximity link and without the service providing
 * system: verifies a presentation, answers with 6702 (transaction number 0 when it cannot examine the ticket), checks
 * the response, gives the examination certificate 6704, keeps the response in its transaction list 2510 and for the
 * next data update's upload, and opens the gate.
 */
export class GateExaminer {
  private readonly pending = new Map<number, Pending>();
  /** Gate test patterns already answered, by digest, until the presentation that carried them is stale anyway. */
  private readonly seenPatterns = new Map<string, number>();

  constructor(
    private readonly host: TerminalModuleHost,
    private readonly store: ModuleStore<GateState>,
    private readonly options: GateExaminerOptions,
  ) {}

  private get signer(): Signer {
    return { kid: this.host.deviceId, secretKey: this.host.credentials.principal.keys.signing.secretKey };
  }

  private get merchantId(): string {
    return this.host.credentials.merchantId ?? '';
  }

  async receive(frame: Uint8Array): Promise<void> {
    const now = this.host.clock.now();
    this.expire(now);
    let opened: OpenedProximityFrame;
    try {
      opened = openProximity(this.host.envelope, frame, INBOUND, this.host.deviceId, now, this.options.maxSkewMs);
    } catch (error) {
      if (!isProtocolError(error)) throw error;
      // Frames of other modules (or of other exchanges) come over the same link; they are not this module's.
      if (error.reason !== 'unknown-type') this.options.onEvent({ kind: 'ignored', reason: error.message });
      return;
    }
    if (opened.message.type === ticketPresentation.type) await this.presentation(opened as OpenedProximityFrame<PresentationFields>, now);
    else await this.response(opened as OpenedProximityFrame<ExaminationResponseFields>, frame, now);
  }

  private async presentation({ message, frame }: OpenedProximityFrame<PresentationFields>, now: number): Promise<void> {
    const fields = message.fields;
    const refuse = (reason: string) => this.refuse(message.from, fields, reason);
    if (this.host.isUseDisabled()) return refuse('this gate is out of service');
    const code = this.ticketCodeOf(fields.presentationTicket);
    const entry = code === undefined ? undefined : this.store.get().ticketList[code];
    if (entry === undefined) return refuse(`this gate does not examine ${code ?? 'this ticket'}`);
    const gatePattern = openTestPattern(this.host.envelope, fields.gateTestPattern, gatePatternLabel(entry.ticketCode), entry.gatePrivateKey);
    if (gatePattern === undefined) return refuse('the gate test pattern is not sealed to this ticket kind');
    const digest = toHex(this.host.crypto.sha256(gatePattern));
    if (this.seenPatterns.has(digest)) return refuse('replayed test pattern');
    this.seenPatterns.set(digest, message.issuedAt + 2 * this.options.maxSkewMs);
    const kind = { ticketCode: entry.ticketCode, issuerId: entry.issuerId, instruction: entry.module.instruction, validUntil: entry.validUntil, issuerSigningPublicKey: entry.module.issuerSigningPublicKey };
    const checked = checkPresentation(this.host.envelope, frame, fields, kind, { id: this.host.credentials.sp.id, signingPublicKey: this.host.credentials.sp.signingPublicKey }, now);
    if (!checked.ok) return refuse(checked.reason);
    const ticketTestPattern = newTestPattern(this.host.envelope);
    const transactionNumber = this.newTransactionNumber();
    this.pending.set(transactionNumber, {
      transactionNumber,
      requestNumber: fields.requestNumber,
      ticketId: fields.ticketId,
      ticketCode: entry.ticketCode,
      gateId: this.host.deviceId,
      merchantId: this.merchantId,
      ticketTestPattern,
      signingPublicKey: checked.value.certificate.signingPublicKey,
      holder: checked.value.certificate.holder,
      expected: checked.value.expected,
      expiresAt: now + this.options.responseTimeoutMs,
      from: message.from,
      entry,
    });
    await this.send(message.from, ticketExamination, {
      transactionNumber,
      responseMessage: null,
      requestNumber: fields.requestNumber,
      ticketId: fields.ticketId,
      instructionCode: entry.module.instruction,
      gateTestPattern: gatePattern,
      ticketTestPattern: sealTestPattern(this.host.envelope, ticketTestPattern, ticketPatternLabel(entry.ticketCode), entry.ticketPublicKey),
      gateId: this.host.deviceId,
      merchantId: this.merchantId,
    });
    this.options.onEvent({ kind: 'answered', ticketId: fields.ticketId, transactionNumber, from: message.from });
  }

  private async response({ message, frame }: OpenedProximityFrame<ExaminationResponseFields>, bytes: Uint8Array, now: number): Promise<void> {
    const fields = message.fields;
    const pending = this.pending.get(fields.transactionNumber);
    // One answer per examination: a second response (a replay) finds nothing pending.
    this.pending.delete(fields.transactionNumber);
    const refused = (reason: string): void => this.options.onEvent({ kind: 'refused', stage: 'response', ticketId: fields.ticketId, from: message.from, reason });
    if (pending === undefined || pending.expiresAt < now) return refused('no examination waits for this response');
    if (pending.from !== message.from) return refused('the response comes from another terminal');
    const checked = checkExaminationResponse(this.host.envelope, frame, fields, pending);
    if (!checked.ok) return refused(checked.reason);
    const coupons = fields.variableTicketInformation.couponsLeft;
    await this.send(message.from, examinationCertificate, {
      examinationInformation: `${pending.entry.ticketName}: ${pending.entry.module.instruction}${coupons === null ? '' : `, ${coupons} coupon${coupons === 1 ? '' : 's'} left`}`,
      ticketId: fields.ticketId,
      requestNumber: fields.requestNumber,
      transactionNumber: fields.transactionNumber,
      ticketExaminationNumber: fields.ticketExaminationNumber,
      gateId: this.host.deviceId,
      merchantId: this.merchantId,
    });
    this.register(fields, bytes, now);
    const opened = await this.open(fields);
    this.options.onEvent({ kind: 'examined', ticketId: fields.ticketId, ticketCode: fields.ticketCode, transactionNumber: fields.transactionNumber, ticketExaminationNumber: fields.ticketExaminationNumber, from: message.from, opened });
  }

  /** [1653]: the response joins the transaction list 2510 and, as a record, the next data update's upload ([1658]). */
  private register(fields: ExaminationResponseFields, bytes: Uint8Array, now: number): void {
    const entry = { transactionNumber: fields.transactionNumber, ticketId: fields.ticketId, ticketCode: fields.ticketCode, requestNumber: fields.requestNumber, ticketExaminationNumber: fields.ticketExaminationNumber, examinedAt: now, response: bytes };
    this.store.update((state) => ({ ...state, transactionList: [...state.transactionList, entry].slice(-TRANSACTION_LIST_CAPACITY) }));
    this.host.addRecord({ kind: EXAMINATION_RECORD_KIND, id: `ter-${fields.transactionNumber}`, payload: { response: toBase64(bytes), ticketId: fields.ticketId, transactionNumber: fields.transactionNumber } });
  }

  /** Entrance permission 6707: the gate opening device listens on the gate's `out/open` output. */
  private async open(fields: ExaminationResponseFields): Promise<boolean> {
    const signal = { ticketId: fields.ticketId, ticketCode: fields.ticketCode, transactionNumber: fields.transactionNumber, at: this.host.clock.now() };
    try {
      await this.host.publishOutput('open', new TextEncoder().encode(JSON.stringify(signal)));
      return true;
    } catch {
      // Offline from the broker: the examination stands (it needs no server); a turnstile wired locally still opens.
      return false;
    }
  }

  private async refuse(to: DeviceId, fields: PresentationFields, reason: string): Promise<void> {
    this.options.onEvent({ kind: 'refused', stage: 'presentation', ticketId: fields.ticketId, from: to, reason });
    await this.send(to, ticketExamination, {
      transactionNumber: 0,
      responseMessage: reason.slice(0, 300),
      requestNumber: fields.requestNumber,
      ticketId: fields.ticketId,
      instructionCode: null,
      gateTestPattern: null,
      ticketTestPattern: null,
      gateId: this.host.deviceId,
      merchantId: this.merchantId,
    });
  }

  private async send<D extends MessageDefinition>(to: DeviceId, definition: D, fields: unknown): Promise<void> {
    const proximity = this.host.proximity;
    if (proximity === undefined) return;
    const bytes = composeProximity(this.host.envelope, definition, { id: this.host.newMessageId(), from: this.host.deviceId, to, issuedAt: this.host.clock.now(), fields }, [this.signer]);
    await proximity.send(to, bytes);
  }

  /** The ticket code the presentation ticket names (checked against the certificate and signatures afterwards). */
  private ticketCodeOf(presentationTicket: Uint8Array): string | undefined {
    const data = openPart(this.host.envelope, TICKET_DATA_TYPE, presentationTicket, ticketDataBody, [], () => undefined);
    return data.ok ? data.body.ticketCode : undefined;
  }

  private newTransactionNumber(): number {
    // 48 random bits: a clash with a pending examination (or 0) is all but impossible; the bound makes it a bug.
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const value = this.host.crypto.randomBytes(6).reduce((number, byte) => number * 256 + byte, 0);
      if (value !== 0 && !this.pending.has(value)) return value;
    }
    throw new Error('no free transaction number after 8 attempts');
  }

  private expire(now: number): void {
    for (const [number, pending] of this.pending) if (pending.expiresAt < now) this.pending.delete(number);
    for (const [digest, until] of this.seenPatterns) if (until < now) this.seenPatterns.delete(digest);
  }
}
