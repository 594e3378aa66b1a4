import { toBase64, toHex } from '../../../../common/bytes.js';
import { ProtocolError } from '../../../../protocol/errors.js';
import type { FieldsOf, Message } from '../../../../protocol/message.js';
import { openPart } from '../../../../protocol/signed-part.js';
import { ticketKid } from '../../model/ticket-certificate.js';
import { verifyOfferTicketPart } from '../../transfer/ticket-part-signature.js';
import { checkTicketCertificate, checkUserCertificate, readPresentationTicket } from '../../transfer/transfer-checks.js';
import {
  DEFERRED_TRANSFER_RECORD,
  REFUSED,
  TRANSFER_INFORMATION_TYPE,
  ticketTransfer,
  ticketTransferCertificate,
  ticketTransferOffer,
  ticketTransferOfferResponse,
  ticketTransferReceipt,
  ticketTransferRequest,
  transferInformationBody,
} from '../../transfer/transfer.messages.js';
import { TicketTransferError } from './transfer-error.js';
import type { PeekedFrame, TransferLink } from './transfer-link.js';
import { MAX_PENDING_TRANSFERS, readTransferring, withTransferring, type IncomingTransfer } from './transferring-state.js';
import type { WalletContext } from './wallet-process.js';

type OfferMessage = Message<string, FieldsOf<typeof ticketTransferOffer>>;

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((value, index) => value === b[index]);

/**
 * User B's side of a ticket transfer: the offer checked and shown (7402), the answer 7404, the certificate 7406 checked
 * and receipted (7407), the transfer request to the SP at once (7411) or in the next data update ([1685]), and the
 * ticket transfer 7412 that puts the ticket in the ticket list ([1694]).
 */
export class TransferReceiving {
  constructor(
    private readonly wallet: WalletContext,
    private readonly link: TransferLink,
  ) {}

  private get host() {
    return this.wallet.host;
  }

  offers(): readonly IncomingTransfer[] {
    return readTransferring(this.wallet.store.get()).incoming;
  }

  /** 7401 [1673]: every check the spec names; an offer of a ticket that is not transferable is refused at once ([1668]). */
  async onOffer(frame: Uint8Array, peeked: PeekedFrame): Promise<void> {
    const parsed = ticketTransferOffer.fields.safeParse(peeked.fields);
    if (!parsed.success) throw new ProtocolError('schema', 'ticketTransferOffer fields', { type: peeked.type });
    const now = this.host.clock.now();
    const sender = checkUserCertificate(this.host.envelope, parsed.data.userPublicKeyCertificate, this.host.credentials.sp, now);
    if (!sender.ok) throw new ProtocolError('revoked', sender.reason, { type: peeked.type });
    const message = await this.link.receive<OfferMessage>(frame, { [sender.value.subject]: sender.value.signingPublicKey }, 'terminal');
    const fields = message.fields;
    const certificate = checkTicketCertificate(this.host.envelope, fields.ticketCertificate, this.host.credentials.sp, now);
    if (!certificate.ok) throw new ProtocolError('bad-signature', certificate.reason, { type: peeked.type });
    const certified = certificate.value;
    if (certified.ticketId !== fields.ticketId || certified.holder !== message.from) throw new ProtocolError('refused', `ticket certificate of ${certified.ticketId} held by ${certified.holder}`, { type: peeked.type });
    const presentation = readPresentationTicket(this.host.envelope, fields.presentationTicket);
    if (!presentation.ok) throw new ProtocolError('bad-signature', presentation.reason, { type: peeked.type });
    if (presentation.value.body.ticketId !== fields.ticketId || presentation.value.body.ticketCode !== certified.ticketCode) throw new ProtocolError('refused', 'presentation ticket is not the certified ticket', { type: peeked.type });
    const part = { ticketStatus: fields.ticketStatus, variableTicketInformation: fields.variableTicketInformation, ticketId: fields.ticketId, issuedAt: message.issuedAt };
    if (!verifyOfferTicketPart(this.host.crypto, part, fields.ticketSignature, certified.signingPublicKey)) throw new ProtocolError('bad-signature', 'the ticket signature over status, variable information, ID and issued time does not verify', { type: peeked.type });
    const entry: IncomingTransfer = {
      transferOfferNumber: fields.transferOfferNumber,
      ticketId: fields.ticketId,
      ticketCode: certified.ticketCode,
      title: presentation.value.body.information.title,
      sender: { userId: sender.value.subject, certificateId: sender.value.id, signingPublicKey: sender.value.signingPublicKey, sealingPublicKey: sender.value.sealingPublicKey },
      senderTerminalId: fields.terminalId,
      ticketSigningPublicKey: certified.signingPublicKey,
      presentationTicket: fields.presentationTicket,
      ticketStatus: fields.ticketStatus,
      variableTicketInformation: fields.variableTicketInformation,
      receivedAt: now,
      stage: 'offered',
      acceptanceNumber: null,
      transferCertificate: null,
      reason: null,
    };
    if (!fields.ticketStatus.transferable) {
      await this.answer(entry, REFUSED);
      throw new ProtocolError('refused', `ticket ${fields.ticketId} is not transferable: offer refused`, { type: peeked.type });
    }
    this.save((incoming) => {
      if (incoming.some((candidate) => candidate.transferOfferNumber === entry.transferOfferNumber)) return [...incoming];
      // Bounded: when full, the oldest offer not yet answered makes room.
      const oldestOffer = incoming.length >= MAX_PENDING_TRANSFERS ? incoming.find((candidate) => candidate.stage === 'offered') : undefined;
      return [...incoming.filter((candidate) => candidate !== oldestOffer), entry];
    });
  }

  /** Transfer offer acceptance operation 7403: a fresh acceptance number, 7404 to A. */
  async accept(transferOfferNumber: string): Promise<string> {
    const entry = this.incoming(transferOfferNumber, ['offered']);
    this.requireCertificate();
    const acceptanceNumber = toHex(this.host.crypto.randomBytes(16));
    this.update(transferOfferNumber, { stage: 'accepted', acceptanceNumber });
    await this.answer(entry, acceptanceNumber);
    return acceptanceNumber;
  }

  /** User B declines: 7404 with acceptance number 0, and the offer is forgotten ([1677]). */
  async refuse(transferOfferNumber: string): Promise<void> {
    const entry = this.incoming(transferOfferNumber, ['offered']);
    this.save((incoming) => incoming.filter((candidate) => candidate.transferOfferNumber !== transferOfferNumber));
    await this.answer(entry, REFUSED);
  }

  /** 7406 [1680]: signatures of user A and of the ticket, ticket ID and both certificate IDs compared; 7407 back. */
  async onCertificate(frame: Uint8Array, peeked: PeekedFrame): Promise<void> {
    const parsed = ticketTransferCertificate.fields.safeParse(peeked.fields);
    if (!parsed.success) throw new ProtocolError('schema', 'ticketTransferCertificate fields', { type: peeked.type });
    const entry = this.incoming(parsed.data.transferOfferNumber, ['accepted']);
    const keys = { [entry.sender.userId]: entry.sender.signingPublicKey, [ticketKid(entry.ticketId)]: entry.ticketSigningPublicKey };
    const message = await this.link.receive<Message<string, FieldsOf<typeof ticketTransferCertificate>>>(frame, keys, 'user');
    const fields = message.fields;
    const mismatch =
      fields.ticketId !== entry.ticketId
        ? 'ticket ID differs from the offer'
        : fields.acceptanceNumber !== entry.acceptanceNumber
          ? 'acceptance number differs'
          : fields.recipientCertificateId !== this.requireCertificate().id || fields.senderCertificateId !== entry.sender.certificateId
            ? 'certificate IDs do not match the two users'
            : !equalBytes(fields.presentationTicket, entry.presentationTicket)
              ? 'presentation ticket differs from the offer'
              : !fields.ticketStatus.transferable
                ? 'ticket status is not transferable'
                : null;
    if (mismatch !== null) throw new ProtocolError('refused', `ticket transfer certificate: ${mismatch}`, { type: peeked.type });
    this.update(entry.transferOfferNumber, { stage: 'certified', transferCertificate: peeked.signedFrame, ticketStatus: fields.ticketStatus, variableTicketInformation: fields.variableTicketInformation });
    const receipt: FieldsOf<typeof ticketTransferReceipt> = {
      ticketId: entry.ticketId,
      transferOfferNumber: entry.transferOfferNumber,
      acceptanceNumber: fields.acceptanceNumber,
      senderCertificateId: entry.sender.certificateId,
      recipientCertificateId: fields.recipientCertificateId,
    };
    await this.link.send(ticketTransferReceipt, { terminal: entry.senderTerminalId, to: entry.sender.userId, fields: receipt, sealingKey: entry.sender.sealingPublicKey });
  }

  /** "Transfer process request" 7410: the ticket transfer request 7411 to the SP now. */
  async requestTransfer(transferOfferNumber: string): Promise<void> {
    const entry = this.incoming(transferOfferNumber, ['certified']);
    const certificate = entry.transferCertificate;
    if (certificate === null) throw new TicketTransferError('wrong-stage', 'no transfer certificate kept');
    const fields: FieldsOf<typeof ticketTransferRequest> = { ticketTransferCertificate: certificate, userId: this.link.userId };
    await this.host.sendToServiceProvider(ticketTransferRequest.type, fields);
    this.update(transferOfferNumber, { stage: 'requested' });
  }

  /**
   * "Cancel" ([1685]): the request travels as a record of the next data update's upload (signed by the user and sealed
   * to the SP with the upload), and the ticket follows that update.
   */
  deferTransfer(transferOfferNumber: string): void {
    const entry = this.incoming(transferOfferNumber, ['certified']);
    const certificate = entry.transferCertificate;
    if (certificate === null || entry.acceptanceNumber === null) throw new TicketTransferError('wrong-stage', 'no transfer certificate kept');
    const stored = this.host.addRecord({ kind: DEFERRED_TRANSFER_RECORD, id: `transfer:${entry.acceptanceNumber}`, payload: { ticketTransferCertificate: toBase64(certificate), userId: this.link.userId } });
    if (stored === 'refused') throw new TicketTransferError('writing-disabled', `${this.host.deviceId} refuses new records (writing or use disabled)`);
    this.update(transferOfferNumber, { stage: 'deferred' });
  }

  /** 7412 [1694]: the SP's signature (checked by the device) and its transfer information; the ticket joins the list. */
  async onTicketTransfer(message: Message): Promise<void> {
    const fields = message.fields as FieldsOf<typeof ticketTransfer>;
    const sp = this.host.credentials.sp;
    const information = openPart(this.host.envelope, TRANSFER_INFORMATION_TYPE, fields.transferInformation, transferInformationBody, [sp.id], (kid) => (kid === sp.id ? sp.signingPublicKey : undefined));
    if (!information.ok) throw new ProtocolError('bad-signature', information.reason, { type: message.type });
    const body = information.body;
    if (body.userId !== this.link.userId) throw new ProtocolError('wrong-addressee', `transfer information for ${body.userId}`, { type: message.type });
    const ticket = fields.electronicTicket;
    if (body.result === 'refused' || fields.acceptanceNumber === REFUSED || ticket === null) {
      // Only a request this terminal made is answered by a refusal; a stray one leaves a held certificate alone.
      const asked = this.offers().find((candidate) => candidate.transferOfferNumber === body.transferOfferNumber && (candidate.stage === 'requested' || candidate.stage === 'deferred'));
      if (asked !== undefined) this.update(asked.transferOfferNumber, { stage: 'refused', reason: body.reason ?? 'refused by the service providing system' });
      return;
    }
    if (ticket.ticketId !== body.ticketId) throw new ProtocolError('refused', 'ticket transfer: ticket and transfer information differ', { type: message.type });
    const certificate = checkTicketCertificate(this.host.envelope, ticket.certificate, sp, this.host.clock.now());
    if (!certificate.ok || certificate.value.holder !== this.link.userId || !equalBytes(certificate.value.signingPublicKey, this.host.crypto.ed25519PublicKey(ticket.signingSecretKey))) {
      throw new ProtocolError('refused', 'ticket transfer: the ticket certificate does not certify this ticket for this user', { type: message.type });
    }
    this.wallet.store.update((state) => {
      const transferring = readTransferring(state);
      const incoming = transferring.incoming.filter((candidate) => candidate.transferOfferNumber !== body.transferOfferNumber);
      return withTransferring({ ...state, tickets: [...state.tickets.filter((held) => held.ticketId !== ticket.ticketId), ticket] }, { ...transferring, incoming });
    });
  }

  private async answer(entry: IncomingTransfer, acceptanceNumber: string): Promise<void> {
    const fields: FieldsOf<typeof ticketTransferOfferResponse> = { acceptanceNumber, transferOfferNumber: entry.transferOfferNumber, ticketId: entry.ticketId, userPublicKeyCertificate: this.requireCertificateBytes() };
    await this.link.send(ticketTransferOfferResponse, { terminal: entry.senderTerminalId, to: entry.sender.userId, fields });
  }

  private requireCertificateBytes(): Uint8Array {
    const certificate = this.host.credentials.principalCertificate;
    if (certificate === undefined) throw new TicketTransferError('no-user-certificate', 'the credentials hold no user public key certificate: enrol the terminal again');
    return certificate;
  }

  private requireCertificate() {
    const checked = checkUserCertificate(this.host.envelope, this.requireCertificateBytes(), this.host.credentials.sp, this.host.clock.now());
    if (!checked.ok) throw new TicketTransferError('no-user-certificate', checked.reason);
    return checked.value;
  }

  private incoming(transferOfferNumber: string, stages: readonly IncomingTransfer['stage'][]): IncomingTransfer {
    if (this.host.isUseDisabled()) throw new TicketTransferError('use-disabled', `${this.host.deviceId} is use disabled`);
    const entry = this.offers().find((candidate) => candidate.transferOfferNumber === transferOfferNumber);
    if (entry === undefined) throw new TicketTransferError('unknown-offer', `no transfer offer ${transferOfferNumber}`);
    if (!stages.includes(entry.stage)) throw new TicketTransferError('wrong-stage', `transfer offer ${transferOfferNumber} is ${entry.stage}`);
    return entry;
  }

  private update(transferOfferNumber: string, change: Partial<IncomingTransfer>): void {
    this.save((incoming) => incoming.map((candidate) => (candidate.transferOfferNumber === transferOfferNumber ? { ...candidate, ...change } : candidate)));
  }

  private save(change: (incoming: readonly IncomingTransfer[]) => IncomingTransfer[]): void {
    this.wallet.store.update((state) => {
      const transferring = readTransferring(state);
      return withTransferring(state, { ...transferring, incoming: change(transferring.incoming) });
    });
  }
}
