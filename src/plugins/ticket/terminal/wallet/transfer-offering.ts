import { toHex } from '../../../../common/bytes.js';
import { ProtocolError } from '../../../../protocol/errors.js';
import type { Message } from '../../../../protocol/message.js';
import { ticketKid } from '../../model/ticket-certificate.js';
import { signOfferTicketPart } from '../../transfer/ticket-part-signature.js';
import { checkUserCertificate } from '../../transfer/transfer-checks.js';
import { REFUSED, ticketTransferCertificate, ticketTransferOffer, ticketTransferOfferResponse, ticketTransferReceipt } from '../../transfer/transfer.messages.js';
import type { FieldsOf } from '../../../../protocol/message.js';
import { TicketTransferError, type TransferOutcome } from './transfer-error.js';
import type { PeekedFrame, TransferLink } from './transfer-link.js';
import { MAX_PENDING_TRANSFERS, readTransferring, withTransferring, type OutgoingTransfer } from './transferring-state.js';
import type { WalletContext } from './wallet-process.js';
import type { UseEntry, WalletTicket } from './wallet-state.js';

/** Service code 1841 of a transfer in the use list ([1682]). */
export const TRANSFER_SERVICE_CODE = 'ticket.transfer';

/**
 * User A's side of a ticket transfer ([1670]-[1683]): the offer 7401, the certificate 7406 once B accepts (7404), and
 * on B's receipt 7407 the ticket leaves the ticket list 1712 and the receipt enters the use list 1715.
 */
export class TransferOffering {
  private readonly waiters = new Map<string, (outcome: TransferOutcome) => void>();

  constructor(
    private readonly wallet: WalletContext,
    private readonly link: TransferLink,
  ) {}

  private get host() {
    return this.wallet.host;
  }

  /** Offers a ticket to the terminal `toTerminalId`; resolves when B refuses, the receipt arrives, or after `timeoutMs`. */
  async offer(ticketId: string, toTerminalId: string, timeoutMs = 30_000): Promise<TransferOutcome> {
    const ticket = this.transferableTicket(ticketId);
    const certificate = this.host.credentials.principalCertificate;
    if (certificate === undefined) throw new TicketTransferError('no-user-certificate', 'the credentials hold no user public key certificate: enrol the terminal again');
    const transferring = readTransferring(this.wallet.store.get());
    if (transferring.outgoing.some((entry) => entry.ticketId === ticketId)) throw new TicketTransferError('in-progress', `ticket ${ticketId} is already being transferred`);
    if (transferring.outgoing.length >= MAX_PENDING_TRANSFERS) throw new TicketTransferError('in-progress', 'too many transfers pending');
    const transferOfferNumber = toHex(this.host.crypto.randomBytes(16));
    const issuedAt = this.host.clock.now();
    const entry: OutgoingTransfer = { transferOfferNumber, ticketId, toTerminalId, offeredAt: issuedAt, stage: 'offered', recipient: null, acceptanceNumber: null };
    this.save((outgoing) => [...outgoing, entry]);
    const outcome = this.waitFor(transferOfferNumber, timeoutMs);
    const part = { ticketStatus: ticket.status, variableTicketInformation: ticket.variable, ticketId, issuedAt };
    const fields: FieldsOf<typeof ticketTransferOffer> = {
      transferOfferNumber,
      presentationTicket: ticket.presentationTicket,
      ticketCertificate: ticket.certificate,
      ticketStatus: part.ticketStatus,
      variableTicketInformation: part.variableTicketInformation,
      ticketId,
      ticketSignature: signOfferTicketPart(this.host.crypto, part, ticket.signingSecretKey),
      userPublicKeyCertificate: certificate,
      terminalId: this.host.deviceId,
    };
    try {
      await this.link.send(ticketTransferOffer, { terminal: toTerminalId, to: toTerminalId, fields, issuedAt });
    } catch (error) {
      this.settle(transferOfferNumber, { outcome: 'unanswered', transferOfferNumber });
      throw error;
    }
    return outcome;
  }

  /** 7404 [1678]: B's answer. Refused: the offer is withdrawn. Accepted: B's certificate checked, 7406 sent. */
  async onResponse(frame: Uint8Array, peeked: PeekedFrame): Promise<void> {
    const parsed = ticketTransferOfferResponse.fields.safeParse(peeked.fields);
    if (!parsed.success) throw new ProtocolError('schema', 'ticketTransferOfferResponse fields', { type: peeked.type });
    const entry = this.outgoing(parsed.data.transferOfferNumber, 'offered');
    const certificate = checkUserCertificate(this.host.envelope, parsed.data.userPublicKeyCertificate, this.host.credentials.sp, this.host.clock.now());
    if (!certificate.ok) throw new ProtocolError('revoked', certificate.reason, { type: peeked.type });
    const recipient = certificate.value;
    const message = await this.link.receive<Message<string, FieldsOf<typeof ticketTransferOfferResponse>>>(frame, { [recipient.subject]: recipient.signingPublicKey }, 'user');
    if (message.fields.ticketId !== entry.ticketId) throw new ProtocolError('refused', `response names ticket ${message.fields.ticketId}, the offer ${entry.ticketId}`, { type: peeked.type });
    if (message.fields.acceptanceNumber === REFUSED) {
      this.settle(entry.transferOfferNumber, { outcome: 'refused', transferOfferNumber: entry.transferOfferNumber });
      return;
    }
    await this.certify(entry, message.fields.acceptanceNumber, { userId: recipient.subject, certificateId: recipient.id, signingPublicKey: recipient.signingPublicKey, sealingPublicKey: recipient.sealingPublicKey });
  }

  /** 7407 [1682]: B's receipt; certificate IDs compared, then the ticket leaves the list and the receipt is kept. */
  async onReceipt(frame: Uint8Array, peeked: PeekedFrame): Promise<void> {
    const parsed = ticketTransferReceipt.fields.safeParse(peeked.fields);
    if (!parsed.success) throw new ProtocolError('schema', 'ticketTransferReceipt fields', { type: peeked.type });
    const entry = this.outgoing(parsed.data.transferOfferNumber, 'certified');
    const recipient = entry.recipient;
    if (recipient === null || entry.acceptanceNumber === null) throw new ProtocolError('refused', 'receipt for an offer without recipient', { type: peeked.type });
    const message = await this.link.receive<Message<string, FieldsOf<typeof ticketTransferReceipt>>>(frame, { [recipient.userId]: recipient.signingPublicKey }, 'user');
    const fields = message.fields;
    const own = this.ownCertificateId();
    if (fields.senderCertificateId !== own || fields.recipientCertificateId !== recipient.certificateId) throw new ProtocolError('refused', 'receipt certificate IDs do not match the two users', { type: peeked.type });
    if (fields.ticketId !== entry.ticketId || fields.acceptanceNumber !== entry.acceptanceNumber) throw new ProtocolError('refused', 'receipt does not match the transfer', { type: peeked.type });
    const use: UseEntry = { requestNumber: entry.transferOfferNumber, serviceCode: TRANSFER_SERVICE_CODE, usedAt: message.issuedAt, kind: ticketTransferReceipt.type, ticketId: entry.ticketId, information: peeked.signedFrame };
    this.wallet.store.update((state) => {
      const transferring = readTransferring(state);
      const next = { ...transferring, outgoing: transferring.outgoing.filter((candidate) => candidate.transferOfferNumber !== entry.transferOfferNumber) };
      return withTransferring({ ...state, tickets: state.tickets.filter((ticket) => ticket.ticketId !== entry.ticketId), useList: [...state.useList, use] }, next);
    });
    this.resolve(entry.transferOfferNumber, { outcome: 'transferred', transferOfferNumber: entry.transferOfferNumber, acceptanceNumber: entry.acceptanceNumber });
  }

  /** 7406 [1679]: signed by the ticket and user A, sealed to B; kept as 'certified' before it leaves. */
  private async certify(entry: OutgoingTransfer, acceptanceNumber: string, recipient: NonNullable<OutgoingTransfer['recipient']>): Promise<void> {
    const ticket = this.transferableTicket(entry.ticketId);
    this.save((outgoing) => outgoing.map((candidate) => (candidate.transferOfferNumber === entry.transferOfferNumber ? { ...candidate, stage: 'certified', recipient, acceptanceNumber } : candidate)));
    const fields: FieldsOf<typeof ticketTransferCertificate> = {
      presentationTicket: ticket.presentationTicket,
      ticketStatus: ticket.status,
      variableTicketInformation: ticket.variable,
      transferOfferNumber: entry.transferOfferNumber,
      acceptanceNumber,
      recipientCertificateId: recipient.certificateId,
      senderCertificateId: this.ownCertificateId(),
      ticketId: ticket.ticketId,
    };
    const ticketSigner = { kid: ticketKid(ticket.ticketId), secretKey: ticket.signingSecretKey };
    await this.link.send(ticketTransferCertificate, { terminal: entry.toTerminalId, to: recipient.userId, fields, extraSigners: [ticketSigner], sealingKey: recipient.sealingPublicKey });
  }

  private transferableTicket(ticketId: string): WalletTicket {
    if (this.host.isUseDisabled()) throw new TicketTransferError('use-disabled', `${this.host.deviceId} is use disabled`);
    const ticket = this.wallet.store.get().tickets.find((candidate) => candidate.ticketId === ticketId);
    if (ticket === undefined) throw new TicketTransferError('unknown-ticket', `no ticket ${ticketId} in the ticket list`);
    // [1668]: only a ticket whose status the issuer made transferable.
    if (!ticket.status.transferable) throw new TicketTransferError('not-transferable', `ticket ${ticketId} is not transferable`);
    return ticket;
  }

  private ownCertificateId(): string {
    const certificate = this.host.credentials.principalCertificate;
    const checked = certificate === undefined ? undefined : checkUserCertificate(this.host.envelope, certificate, this.host.credentials.sp, this.host.clock.now());
    if (checked === undefined || !checked.ok) throw new TicketTransferError('no-user-certificate', 'no valid user public key certificate in the credentials');
    return checked.value.id;
  }

  private outgoing(transferOfferNumber: string, stage: OutgoingTransfer['stage']): OutgoingTransfer {
    const entry = readTransferring(this.wallet.store.get()).outgoing.find((candidate) => candidate.transferOfferNumber === transferOfferNumber);
    if (entry === undefined || entry.stage !== stage) throw new ProtocolError('refused', `no transfer offer ${transferOfferNumber} ${stage}`, { type: 'ticketTransfer' });
    return entry;
  }

  private save(change: (outgoing: readonly OutgoingTransfer[]) => OutgoingTransfer[]): void {
    this.wallet.store.update((state) => {
      const transferring = readTransferring(state);
      return withTransferring(state, { ...transferring, outgoing: change(transferring.outgoing) });
    });
  }

  private waitFor(transferOfferNumber: string, timeoutMs: number): Promise<TransferOutcome> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const entry = readTransferring(this.wallet.store.get()).outgoing.find((candidate) => candidate.transferOfferNumber === transferOfferNumber);
        if (entry?.stage === 'certified') this.resolve(transferOfferNumber, { outcome: 'awaiting-receipt', transferOfferNumber });
        else this.settle(transferOfferNumber, { outcome: 'unanswered', transferOfferNumber });
      }, timeoutMs);
      timer.unref();
      this.waiters.set(transferOfferNumber, (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      });
    });
  }

  /** Ends an offer that gave nothing away: forgotten, its waiter told. */
  private settle(transferOfferNumber: string, outcome: TransferOutcome): void {
    this.save((outgoing) => outgoing.filter((candidate) => candidate.transferOfferNumber !== transferOfferNumber));
    this.resolve(transferOfferNumber, outcome);
  }

  private resolve(transferOfferNumber: string, outcome: TransferOutcome): void {
    const waiter = this.waiters.get(transferOfferNumber);
    this.waiters.delete(transferOfferNumber);
    waiter?.(outcome);
  }
}
