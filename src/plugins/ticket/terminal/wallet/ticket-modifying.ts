import { USE_PROGRESS } from '../../model/ticket-status.js';
import { z } from 'zod';
import { ProtocolError } from '../../../../protocol/errors.js';
import type { FieldsOf, Message } from '../../../../protocol/message.js';
import { openPart } from '../../../../protocol/signed-part.js';
import { TICKET_CERTIFICATE_TYPE, ticketCertificateBody } from '../../model/ticket-certificate.js';
import { MODIFICATION_CODES, MODIFICATION_MESSAGE_TYPE, REACTION_CODES, modificationInstruction, modificationMessageBody, modificationNotice, type ReactionCode } from '../../modification/modification.messages.js';
import type { WalletContext, WalletProcess } from './wallet-process.js';
import type { WalletState, WalletTicket } from './wallet-state.js';

export const MODIFYING_PROCESS = 'ticket-modifying';

/** A modification notice 8101 shown to the user (display 8102), and what became of it. */
export const noticeRecord = z
  .object({
    modificationNumber: z.string(),
    modificationCode: z.enum(MODIFICATION_CODES),
    ticketId: z.string(),
    text: z.string(),
    replyTimeLimit: z.number().int().nonnegative(),
    /** The SP's process group for the modification: the reaction goes back to it. */
    pg: z.string(),
    receivedAt: z.number().int().nonnegative(),
    stage: z.enum(['notified', 'reacted', 'modified']),
    reaction: z.enum(REACTION_CODES).nullable(),
  })
  .strict();
export type NoticeRecord = z.infer<typeof noticeRecord>;

const modifyingState = z.object({ notices: z.array(noticeRecord) }).strict();
type ModifyingState = z.infer<typeof modifyingState>;

const MAX_NOTICES = 100;
const EMPTY: ModifyingState = { notices: [] };

/** Whether a ticket's status says use disabled ([1726]: the user refused the modification or asked a refund). */
function isTicketUseDisabled(state: WalletState, ticketId: string): boolean {
  return state.tickets.some((ticket) => ticket.ticketId === ticketId && ticket.status.use === 'disabled');
}

/**
 * Ticket modification on the mobile user terminal ([1725]-[1731]): the modification notice 8101 is kept and shown;
 * the user's reaction selection 8104 goes back to the service provider ("refuse" and "refund" make the ticket use
 * disabled at once); the modification instruction 8105 replaces the old electronic ticket with the new one.
 *
 * @example
 * wallet.modifying.notices();                       // display 8102
 * await wallet.modifying.react(ticketId, 'accept');  // 8104; the new ticket arrives with 8105
 */
export class TicketModifying implements WalletProcess {
  readonly messageTypes = [modificationNotice.type, modificationInstruction.type];

  constructor(private readonly wallet: WalletContext) {}

  notices(): readonly NoticeRecord[] {
    return this.read().notices;
  }

  isUseDisabled(ticketId: string): boolean {
    return isTicketUseDisabled(this.wallet.store.get(), ticketId);
  }

  /** Reaction selection operation 8103: sends 8104; "refuse" and "refund" disable the ticket at once ([1726]). */
  async react(ticketId: string, reactionCode: ReactionCode): Promise<string> {
    const { host } = this.wallet;
    const notice = this.read().notices.find((candidate) => candidate.ticketId === ticketId && candidate.stage === 'notified');
    if (notice === undefined) throw new Error(`no modification notice waiting for ticket ${ticketId}`);
    const requestNumber = host.newMessageId();
    const state = this.read();
    this.save({ notices: state.notices.map((candidate) => (sameNotice(candidate, notice) ? { ...candidate, stage: 'reacted', reaction: reactionCode } : candidate)) });
    // [1726]: the ticket status itself says use disabled, so the terminal presents it to no gate and transfers it to nobody.
    if (reactionCode !== 'accept') {
      this.wallet.store.update((wallet) => ({ ...wallet, tickets: wallet.tickets.map((held) => (held.ticketId === ticketId ? { ...held, status: { ...held.status, use: 'disabled' as const } } : held)) }));
    }
    await host.sendToServiceProvider('reactionSelection', { modificationNumber: notice.modificationNumber, reactionCode, requestNumber, ticketId, userId: host.credentials.principal.id }, { pg: notice.pg });
    return requestNumber;
  }

  async onMessage(message: Message): Promise<void> {
    if (message.type === modificationNotice.type) return this.onNotice(message as Message<string, FieldsOf<typeof modificationNotice>>);
    return this.onInstruction(message.fields as FieldsOf<typeof modificationInstruction>);
  }

  /** [1725]: a notice for a ticket in the ticket list, once. The modification message is read for display. */
  private onNotice(message: Message<string, FieldsOf<typeof modificationNotice>>): void {
    const { fields } = message;
    if (!this.wallet.store.get().tickets.some((ticket) => ticket.ticketId === fields.ticketId)) throw new ProtocolError('refused', `no ticket ${fields.ticketId} in the ticket list`, { type: modificationNotice.type });
    const state = this.read();
    if (state.notices.some((notice) => notice.modificationNumber === fields.modificationNumber && notice.ticketId === fields.ticketId)) throw new ProtocolError('replay', `notice ${fields.modificationNumber} already received`, { type: modificationNotice.type });
    const text = openPart(this.wallet.host.envelope, MODIFICATION_MESSAGE_TYPE, fields.modificationMessage, modificationMessageBody, [], () => undefined);
    if (!text.ok || text.body.modificationNumber !== fields.modificationNumber) throw new ProtocolError('schema', 'the modification message is not this modification\'s', { type: modificationNotice.type });
    const notice: NoticeRecord = {
      modificationNumber: fields.modificationNumber,
      modificationCode: fields.modificationCode,
      ticketId: fields.ticketId,
      text: text.body.text,
      replyTimeLimit: fields.replyTimeLimit,
      pg: message.pg ?? '',
      receivedAt: this.wallet.host.clock.now(),
      stage: 'notified',
      reaction: null,
    };
    this.save({ ...state, notices: [...state.notices, notice].slice(-MAX_NOTICES) });
  }

  /** [1731]: the new electronic ticket replaces the old one; it must be certified by the SP for its own signature key. */
  private onInstruction(fields: FieldsOf<typeof modificationInstruction>): void {
    const { host, store } = this.wallet;
    const ticket = fields.newElectronicTicket;
    const state = this.read();
    const notice = state.notices.find((candidate) => candidate.modificationNumber === fields.modificationNumber && candidate.ticketId === ticket.ticketId && candidate.stage !== 'modified');
    if (notice === undefined) throw new ProtocolError('refused', `no modification ${fields.modificationNumber} pending for ticket ${ticket.ticketId}`, { type: modificationInstruction.type });
    const sp = host.credentials.sp;
    const certificate = openPart(host.envelope, TICKET_CERTIFICATE_TYPE, ticket.certificate, ticketCertificateBody, [sp.id], (kid) => (kid === sp.id ? sp.signingPublicKey : undefined));
    if (!certificate.ok) throw new ProtocolError('bad-signature', certificate.reason, { type: modificationInstruction.type });
    const publicKey = host.crypto.ed25519PublicKey(ticket.signingSecretKey);
    if (certificate.body.ticketId !== ticket.ticketId || !Buffer.from(certificate.body.signingPublicKey).equals(Buffer.from(publicKey))) {
      throw new ProtocolError('refused', 'the ticket certificate does not certify the new ticket signature key', { type: modificationInstruction.type });
    }
    store.update((wallet) => ({ ...wallet, tickets: [...wallet.tickets.filter((held) => held.ticketId !== ticket.ticketId), replacement(wallet.tickets.find((held) => held.ticketId === ticket.ticketId), ticket)] }));
    this.save({ notices: state.notices.map((candidate) => (sameNotice(candidate, notice) ? { ...candidate, stage: 'modified' } : candidate)) });
  }

  private read(): ModifyingState {
    const raw = this.wallet.store.get().processes[MODIFYING_PROCESS];
    return raw === undefined ? EMPTY : modifyingState.parse(raw);
  }

  private save(next: ModifyingState): void {
    this.wallet.store.update((state) => ({ ...state, processes: { ...state.processes, [MODIFYING_PROCESS]: next } }));
  }
}

const sameNotice = (a: NoticeRecord, b: NoticeRecord): boolean => a.modificationNumber === b.modificationNumber && a.ticketId === b.ticketId;

/** The new ticket, keeping how far the old one was used on this terminal (a modification never gives back a use). */
function replacement(old: WalletTicket | undefined, ticket: FieldsOf<typeof modificationInstruction>['newElectronicTicket']): WalletTicket {
  if (old === undefined) return { ...ticket, examinationNumber: 0 };
  // A reaction the SP did not take (one after the time limit) left the old ticket disabled; the instruction enables it.
  const oldUse = old.status.use === 'disabled' ? ticket.status.use : old.status.use;
  const use = USE_PROGRESS[oldUse] > USE_PROGRESS[ticket.status.use] ? oldUse : ticket.status.use;
  const oldCoupons = old.variable.couponsLeft;
  const couponsLeft = oldCoupons !== null && ticket.variable.couponsLeft !== null ? Math.min(oldCoupons, ticket.variable.couponsLeft) : ticket.variable.couponsLeft;
  return { ...ticket, status: { ...ticket.status, use }, variable: { couponsLeft }, examinationNumber: 0 };
}
