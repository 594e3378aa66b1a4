import { ProtocolError } from '../../../../protocol/errors.js';
import type { Message } from '../../../../protocol/message.js';
import { openPart } from '../../../../protocol/signed-part.js';
import { TICKET_CERTIFICATE_TYPE, ticketCertificateBody } from '../../model/ticket-certificate.js';
import { ticketCertificateIssuing } from '../../registration/registration.messages.js';
import { PendingReplies } from './pending-replies.js';
import type { WalletContext, WalletProcess } from './wallet-process.js';
import type { WalletTicket } from './wallet-state.js';

/**
 * Ticket registration on the mobile user terminal [1623], [1627]: sends 6501; on 6502 checks the registered ticket
 * certificate (signed by the SP, for this ticket, registered, certifying the public half of the key received) and
 * replaces the ticket's key and certificate, switching its status to post-registration.
 */
export class TicketRegistering implements WalletProcess {
  readonly messageTypes = [ticketCertificateIssuing.type];
  private readonly pending = new PendingReplies<WalletTicket>();

  constructor(private readonly wallet: WalletContext) {}

  async register(ticketId: string, timeoutMs = 10_000): Promise<WalletTicket> {
    const { host } = this.wallet;
    if (!this.wallet.store.get().tickets.some((ticket) => ticketId === ticket.ticketId)) throw new Error(`ticket ${ticketId} is not in the ticket list`);
    const answer = this.pending.wait(ticketId, timeoutMs, 'ticket certificate issuing message');
    await host.sendToServiceProvider('ticketRegistrationRequest', { ticketId, userId: host.credentials.principal.id });
    return answer;
  }

  async onMessage(message: Message): Promise<void> {
    const { host } = this.wallet;
    const fields = ticketCertificateIssuing.fields.parse(message.fields);
    const sp = host.credentials.sp;
    const certificate = openPart(host.envelope, TICKET_CERTIFICATE_TYPE, fields.registeredTicketCertificate, ticketCertificateBody, [sp.id], (kid) => (kid === sp.id ? sp.signingPublicKey : undefined));
    const refuse = (reason: string) => new ProtocolError('refused', `ticket certificate issuing for ${fields.ticketId}: ${reason}`, { type: message.type });
    if (!certificate.ok) throw refuse(certificate.reason);
    const body = certificate.body;
    if (body.ticketId !== fields.ticketId || !body.registered || body.holder !== host.credentials.principal.id) throw refuse('the certificate is not a registered certificate of this ticket for this user');
    if (!Buffer.from(host.crypto.ed25519PublicKey(fields.ticketSigningPrivateKey)).equals(Buffer.from(body.signingPublicKey))) throw refuse('the private key does not match the certificate');
    const ticket = this.wallet.store.get().tickets.find((candidate) => candidate.ticketId === fields.ticketId);
    if (ticket === undefined) throw refuse('not in the ticket list');
    const registered: WalletTicket = { ...ticket, signingSecretKey: fields.ticketSigningPrivateKey, certificate: fields.registeredTicketCertificate, status: { ...ticket.status, registration: 'registered' } };
    this.wallet.store.update((state) => ({ ...state, tickets: state.tickets.map((candidate) => (candidate.ticketId === fields.ticketId ? registered : candidate)) }));
    this.pending.settle(fields.ticketId, registered);
  }
}
