import { z } from 'zod';
import { ProtocolError } from '../../../../protocol/errors.js';
import type { FieldsOf, Message } from '../../../../protocol/message.js';
import { openPart } from '../../../../protocol/signed-part.js';
import {
  INSTALLATION_REFUSALS,
  SP_INSTALLATION_INFORMATION_TYPE,
  electronicTicketInstallationMessage,
  electronicTicketInstallationResponse,
  spInstallationIssuingInformationBody,
} from '../../installation/installation.messages.js';
import { TICKET_CERTIFICATE_TYPE, ticketCertificateBody } from '../../model/ticket-certificate.js';
import type { WalletContext, WalletProcess } from './wallet-process.js';

export const INSTALLING_PROCESS = 'ticket-installing';

/** One installation the terminal asked for (7701) and what became of it (7704, or the installation response). */
export const installationRecord = z
  .object({
    requestNumber: z.string(),
    installationCardNumber: z.string(),
    requestedAt: z.number().int().nonnegative(),
    stage: z.enum(['requested', 'installed', 'refused']),
    ticketId: z.string().nullable(),
    responseCode: z.enum(INSTALLATION_REFUSALS).nullable(),
    responseMessage: z.string().nullable(),
  })
  .strict();
export type InstallationRecord = z.infer<typeof installationRecord>;

const installingState = z.object({ installations: z.array(installationRecord) }).strict();
type InstallingState = z.infer<typeof installingState>;

/** Bound on the installations kept (the latest). */
const MAX_INSTALLATIONS = 100;

/**
 * Ticket installation on the mobile user terminal ([1697], [1708]): the user enters the installation card number and
 * installation number (operation 7700), the terminal sends the installation request 7701, and enters the electronic
 * ticket of the installation message 7704 in the ticket list 1712 (display 7705), or keeps the refusal for display.
 *
 * @example
 * const requestNumber = await wallet.installing.install('ACME-0001', '4711CAFE');
 * wallet.installing.installation(requestNumber)?.stage; // 'installed' once 7704 arrived
 */
export class TicketInstalling implements WalletProcess {
  readonly messageTypes = [electronicTicketInstallationMessage.type, electronicTicketInstallationResponse.type];

  constructor(private readonly wallet: WalletContext) {}

  /** Operation 7700: sends the installation request 7701; resolves with its request number. */
  async install(installationCardNumber: string, installationNumber: string): Promise<string> {
    const { host } = this.wallet;
    const requestNumber = host.newMessageId();
    const record: InstallationRecord = { requestNumber, installationCardNumber, requestedAt: host.clock.now(), stage: 'requested', ticketId: null, responseCode: null, responseMessage: null };
    this.save({ installations: [...this.read().installations, record].slice(-MAX_INSTALLATIONS) });
    await host.sendToServiceProvider('electronicTicketInstallationRequest', { installationCardNumber, installationNumber, requestNumber, userId: host.credentials.principal.id });
    return requestNumber;
  }

  installation(requestNumber: string): InstallationRecord | undefined {
    return this.read().installations.find((record) => record.requestNumber === requestNumber);
  }

  installations(): readonly InstallationRecord[] {
    return this.read().installations;
  }

  async onMessage(message: Message): Promise<void> {
    if (message.type === electronicTicketInstallationResponse.type) return this.onResponse(message.fields as FieldsOf<typeof electronicTicketInstallationResponse>);
    return this.onInstallation(message.fields as FieldsOf<typeof electronicTicketInstallationMessage>);
  }

  private onResponse(fields: FieldsOf<typeof electronicTicketInstallationResponse>): void {
    this.pending(fields.requestNumber, 'electronicTicketInstallationResponse');
    this.update(fields.requestNumber, { stage: 'refused', responseCode: fields.responseCode, responseMessage: fields.responseMessage });
  }

  /** [1708]: checks the SP's ticket issuing information and the ticket's certificate, then enters the ticket. */
  private onInstallation(fields: FieldsOf<typeof electronicTicketInstallationMessage>): void {
    const { host, store } = this.wallet;
    this.pending(fields.requestNumber, 'electronicTicketInstallationMessage');
    const sp = host.credentials.sp;
    const spKey = (kid: string) => (kid === sp.id ? sp.signingPublicKey : undefined);
    const ticket = fields.electronicTicket;
    const information = openPart(host.envelope, SP_INSTALLATION_INFORMATION_TYPE, fields.ticketIssuingInformation, spInstallationIssuingInformationBody, [sp.id], spKey);
    if (!information.ok) throw new ProtocolError('bad-signature', information.reason, { type: 'electronicTicketInstallationMessage' });
    if (information.body.requestNumber !== fields.requestNumber || information.body.ticketId !== ticket.ticketId || information.body.userId !== host.credentials.principal.id) {
      throw new ProtocolError('refused', 'ticket issuing information does not match the installation message', { type: 'electronicTicketInstallationMessage' });
    }
    const certificate = openPart(host.envelope, TICKET_CERTIFICATE_TYPE, ticket.certificate, ticketCertificateBody, [sp.id], spKey);
    if (!certificate.ok) throw new ProtocolError('bad-signature', certificate.reason, { type: 'electronicTicketInstallationMessage' });
    const publicKey = host.crypto.ed25519PublicKey(ticket.signingSecretKey);
    if (certificate.body.ticketId !== ticket.ticketId || !Buffer.from(certificate.body.signingPublicKey).equals(Buffer.from(publicKey))) {
      throw new ProtocolError('refused', 'the ticket certificate does not certify the ticket signature key', { type: 'electronicTicketInstallationMessage' });
    }
    if (store.get().tickets.some((held) => held.ticketId === ticket.ticketId)) throw new ProtocolError('replay', `ticket ${ticket.ticketId} is already in the ticket list`, { type: 'electronicTicketInstallationMessage' });
    store.update((state) => ({ ...state, tickets: [...state.tickets, { ...ticket, examinationNumber: 0 }] }));
    this.update(fields.requestNumber, { stage: 'installed', ticketId: ticket.ticketId });
  }

  /** An answer must be to an installation this terminal asked for and has not had answered. */
  private pending(requestNumber: string, type: string): void {
    if (this.installation(requestNumber)?.stage !== 'requested') throw new ProtocolError('refused', `no pending installation ${requestNumber}`, { type });
  }

  private update(requestNumber: string, change: Partial<InstallationRecord>): void {
    this.save({ installations: this.read().installations.map((record) => (record.requestNumber === requestNumber ? { ...record, ...change } : record)) });
  }

  private read(): InstallingState {
    const raw = this.wallet.store.get().processes[INSTALLING_PROCESS];
    return raw === undefined ? { installations: [] } : installingState.parse(raw);
  }

  private save(next: InstallingState): void {
    this.wallet.store.update((state) => ({ ...state, processes: { ...state.processes, [INSTALLING_PROCESS]: next } }));
  }
}
