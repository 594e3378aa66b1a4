import { toHex } from '../../../../common/bytes.js';
import { isProtocolError } from '../../../../protocol/errors.js';
import { isDeviceId, type DeviceId } from '../../../../protocol/ids.js';
import type { MessageDefinition } from '../../../../protocol/message.js';
import { checkExaminationAtTerminal, type ExaminationCertificateFields, type ExaminationFields } from '../../examination/examination-checks.js';
import { EXAMINATION_SERVICE_CODE, examinationCertificate, ticketExamination, ticketExaminationResponse, ticketPresentation } from '../../examination/examination.messages.js';
import { composeProximity, openProximity, type OpenedProximityFrame } from '../../examination/proximity-frame.js';
import { gatePatternLabel, newTestPattern, openTestPattern, sealTestPattern, ticketPatternLabel } from '../../examination/test-pattern.js';
import { ticketKid } from '../../model/ticket-certificate.js';
import type { WalletContext, WalletProcess } from './wallet-process.js';
import type { WalletTicket } from './wallet-state.js';

const INBOUND: readonly MessageDefinition[] = [ticketExamination, examinationCertificate];

/** How a presentation ended, as the terminal shows it ([1652]: display the examined ticket). */
export type PresentationOutcome =
  | { readonly outcome: 'examined'; readonly certificate: ExaminationCertificateFields; readonly ticket: WalletTicket }
  /** Transaction number 0 ([1644]): the gate cannot examine this ticket; its response message says why. */
  | { readonly outcome: 'refused'; readonly responseMessage: string | null }
  /** The gate did not prove it holds the gate private key ([1647]), or asked for a change the ticket cannot make. */
  | { readonly outcome: 'gate-rejected'; readonly reason: string }
  | { readonly outcome: 'no-answer'; readonly stage: 'examination' | 'certificate' };

export interface PresentingSettings {
  readonly maxSkewMs?: number;
  readonly timeoutMs?: number;
}

interface Waiter {
  readonly gateId: DeviceId;
  readonly type: string;
  readonly resolve: (opened: OpenedProximityFrame) => void;
}

/**
 * The mobile user terminal's side of ticket examination [1637]-[1652]: presents a ticket to a gate over the proximity
 * link, authenticates the gate by the gate test pattern, applies the instruction code, answers with the examination
 * response signed by the ticket and the user, and keeps the examination certificate in the use list 1715.
 */
export class TicketPresenting implements WalletProcess {
  static readonly processName = 'presenting';
  readonly messageTypes: readonly string[] = [];
  private readonly waiters = new Map<string, Waiter>();

  constructor(
    private readonly context: WalletContext,
    private readonly settings: PresentingSettings = {},
  ) {
    context.host.proximity?.onFrame((frame) => this.receive(frame));
  }

  async onMessage(): Promise<void> {
    // Examination never passes the service providing system: no downlink is this process's.
  }

  /** The ticket presentation operation 6700: presents `ticketId` to the gate `gateId` and runs the examination. */
  async present(ticketId: string, gateId: string): Promise<PresentationOutcome> {
    const { host, store } = this.context;
    if (host.isUseDisabled()) throw new Error(`${host.deviceId} is use disabled`);
    if (!isDeviceId(gateId) || !gateId.startsWith('dev:gate:')) throw new Error(`not a gate: ${gateId}`);
    const ticket = store.get().tickets.find((candidate) => candidate.ticketId === ticketId);
    if (ticket === undefined) throw new Error(`no ticket ${ticketId} in the ticket list`);
    if (ticket.status.use === 'disabled') throw new Error(`ticket ${ticketId} is use disabled`);
    if (host.proximity === undefined) throw new Error(`${host.deviceId} has no proximity link`);
    const requestNumber = toHex(host.crypto.randomBytes(16));
    const gateTestPattern = newTestPattern(host.envelope);
    const examination = this.await(requestNumber, gateId, ticketExamination.type);
    await this.sendTo(gateId, ticketPresentation, {
      serviceCode: EXAMINATION_SERVICE_CODE,
      requestNumber,
      presentationTicket: ticket.presentationTicket,
      ticketCertificate: ticket.certificate,
      ticketStatus: ticket.status,
      variableTicketInformation: ticket.variable,
      ticketId,
      gateTestPattern: sealTestPattern(host.envelope, gateTestPattern, gatePatternLabel(ticket.ticketCode), ticket.program.gateSealingPublicKey),
    }, [{ kid: ticketKid(ticketId), secretKey: ticket.signingSecretKey }]);
    const answer = await examination;
    if (answer === undefined) return { outcome: 'no-answer', stage: 'examination' };
    return this.examined(ticket, gateId, requestNumber, gateTestPattern, answer.message.fields as ExaminationFields);
  }

  private async examined(ticket: WalletTicket, gateId: DeviceId, requestNumber: string, gateTestPattern: Uint8Array, fields: ExaminationFields): Promise<PresentationOutcome> {
    const { host, store } = this.context;
    if (fields.transactionNumber === 0) return { outcome: 'refused', responseMessage: fields.responseMessage };
    const checked = checkExaminationAtTerminal(fields, { requestNumber, ticketId: ticket.ticketId, gateId, gateTestPattern, state: { status: ticket.status, variable: ticket.variable } });
    if (!checked.ok) return { outcome: 'gate-rejected', reason: checked.reason };
    const ticketTestPattern = fields.ticketTestPattern === null ? undefined : openTestPattern(host.envelope, fields.ticketTestPattern, ticketPatternLabel(ticket.ticketCode), ticket.program.ticketSealingSecretKey);
    if (ticketTestPattern === undefined) return { outcome: 'gate-rejected', reason: 'the ticket test pattern is not sealed to this ticket kind' };
    const ticketExaminationNumber = ticket.examinationNumber + 1;
    // [1647] changes the status when 6702 arrives, [1652] the examination number when 6704 does. Both are committed
    // here, before the signed response leaves: the gate may record a response whose certificate never reaches us, and
    // the next examination must then not carry the same examination number (the SP would see a copied ticket).
    const updated: WalletTicket = { ...ticket, status: checked.value.status, variable: checked.value.variable, examinationNumber: ticketExaminationNumber };
    store.update((state) => ({ ...state, tickets: state.tickets.map((candidate) => (candidate.ticketId === ticket.ticketId ? updated : candidate)) }));
    const certificate = this.await(requestNumber, gateId, examinationCertificate.type);
    const principal = host.credentials.principal;
    await this.sendTo(gateId, ticketExaminationResponse, {
      ticketExaminationNumber,
      ticketTestPattern,
      ticketStatus: updated.status,
      variableTicketInformation: updated.variable,
      gateId: fields.gateId,
      merchantId: fields.merchantId,
      requestNumber,
      transactionNumber: fields.transactionNumber,
      ticketCode: ticket.ticketCode,
      ticketId: ticket.ticketId,
      userId: principal.id,
    }, [{ kid: ticketKid(ticket.ticketId), secretKey: ticket.signingSecretKey }, { kid: principal.id, secretKey: principal.keys.signing.secretKey }]);
    const received = await certificate;
    if (received === undefined) return { outcome: 'no-answer', stage: 'certificate' };
    const cert = received.message.fields as ExaminationCertificateFields;
    if (cert.transactionNumber !== fields.transactionNumber || cert.ticketId !== ticket.ticketId || cert.ticketExaminationNumber !== ticketExaminationNumber) {
      return { outcome: 'gate-rejected', reason: 'the examination certificate is for another examination' };
    }
    // [1652]: the examination certificate is the usage information of the use list 1715.
    const entry = { requestNumber, serviceCode: EXAMINATION_SERVICE_CODE, usedAt: host.clock.now(), kind: 'examinationCertificate', ticketId: ticket.ticketId, information: received.bytes };
    store.update((state) => ({ ...state, useList: [...state.useList, entry] }));
    return { outcome: 'examined', certificate: cert, ticket: updated };
  }

  private async sendTo(gateId: DeviceId, definition: MessageDefinition, fields: unknown, signers: Parameters<typeof composeProximity>[3]): Promise<void> {
    const { host } = this.context;
    const bytes = composeProximity(host.envelope, definition, { id: host.newMessageId(), from: host.deviceId, to: gateId, issuedAt: host.clock.now(), fields }, signers);
    await host.proximity?.send(gateId, bytes);
  }

  /** Resolves with the gate's next message of `type` for this request, or undefined after the timeout. */
  private await(requestNumber: string, gateId: DeviceId, type: string): Promise<(OpenedProximityFrame & { bytes: Uint8Array }) | undefined> {
    const timeoutMs = this.settings.timeoutMs ?? 5_000;
    return new Promise((resolve) => {
      const key = `${type}/${requestNumber}`;
      const timer = setTimeout(() => {
        this.waiters.delete(key);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.set(key, {
        gateId,
        type,
        resolve: (opened) => {
          clearTimeout(timer);
          this.waiters.delete(key);
          resolve(opened as OpenedProximityFrame & { bytes: Uint8Array });
        },
      });
    });
  }

  private receive(frame: Uint8Array): void {
    const { host } = this.context;
    let opened: OpenedProximityFrame;
    try {
      opened = openProximity(host.envelope, frame, INBOUND, host.deviceId, host.clock.now(), this.settings.maxSkewMs ?? 60_000);
    } catch (error) {
      if (isProtocolError(error)) return;
      throw error;
    }
    const fields = opened.message.fields as { requestNumber: string };
    const waiter = this.waiters.get(`${opened.message.type}/${fields.requestNumber}`);
    // Only the gate the ticket was presented to answers it; anything else (a replay, another gate) is dropped.
    if (waiter === undefined || waiter.gateId !== opened.message.from) return;
    waiter.resolve({ ...opened, bytes: frame } as OpenedProximityFrame);
  }
}
