import { z } from 'zod';
import { fromBase64 } from '../../../../common/bytes.js';
import { encodeCanonical, decodeStrict } from '../../../../protocol/cbor.js';
import { ProtocolError } from '../../../../protocol/errors.js';
import type { FieldsOf, Message } from '../../../../protocol/message.js';
import { openPart } from '../../../../protocol/signed-part.js';
import { FINAL_REFUND_RECEIPT_KEY_PREFIX } from '../../refund/refund-receipt.hook.js';
import { REFUND_REFUSALS, SP_REFUND_INFORMATION_TYPE, refundRefusal, spRefundInformationBody, temporaryRefundReceipt, userRefundReceipt } from '../../refund/refund.messages.js';
import type { WalletContext, WalletProcess } from './wallet-process.js';
import type { UseEntry } from './wallet-state.js';

export const REFUNDING_PROCESS = 'ticket-refunding';
export const REFUND_SERVICE_CODE = 'ticket.refund';

const refusalRecord = z.object({ modificationNumber: z.string(), ticketId: z.string(), responseCode: z.enum(REFUND_REFUSALS), responseMessage: z.string(), receivedAt: z.number().int().nonnegative() }).strict();
export type RefundRefusalRecord = z.infer<typeof refusalRecord>;
const refundingState = z.object({ refusals: z.array(refusalRecord) }).strict();
type RefundingState = z.infer<typeof refundingState>;

const MAX_REFUSALS = 50;
const finalReceiptItem = z.object({ requestNumber: z.string(), ticketId: z.string(), receipt: z.string() }).strict();

/**
 * Ticket refund on the mobile user terminal ([1753], [1757], [1764]): the refund receipt 8211 (immediate clearing) or
 * the temporary refund receipt 8307 (delayed clearing) erases the refunded ticket from the ticket list 1712 and enters
 * the receipt in the use list 1715 (display 8212 / 8308); on the delayed path the final refund receipt arrives with a
 * data update (8313) and replaces the temporary one. A refund the SP refuses is kept for display.
 */
export class TicketRefunding implements WalletProcess {
  readonly messageTypes = [userRefundReceipt.type, temporaryRefundReceipt.type, refundRefusal.type];

  constructor(private readonly wallet: WalletContext) {}

  refusals(): readonly RefundRefusalRecord[] {
    return this.read().refusals;
  }

  /** The refund receipts in the use list, the temporary ones included. */
  receipts(): readonly UseEntry[] {
    return this.wallet.store.get().useList.filter((entry) => entry.serviceCode === REFUND_SERVICE_CODE);
  }

  async onMessage(message: Message): Promise<void> {
    switch (message.type) {
      case temporaryRefundReceipt.type:
        return this.onTemporaryReceipt(message.fields as FieldsOf<typeof temporaryRefundReceipt>);
      case userRefundReceipt.type:
        return this.onReceipt(message.fields as FieldsOf<typeof userRefundReceipt>);
      default:
        return this.onRefusal(message.fields as FieldsOf<typeof refundRefusal>);
    }
  }

  /** [1764]: final refund receipts the last data update put in the service data area replace their temporary receipts. */
  async onDataUpdated(): Promise<void> {
    const serviceData = this.wallet.host.serviceData?.() ?? {};
    for (const [key, item] of Object.entries(serviceData)) {
      if (!key.startsWith(FINAL_REFUND_RECEIPT_KEY_PREFIX)) continue;
      const parsed = finalReceiptItem.safeParse(item.value);
      if (!parsed.success || this.hasFinalReceipt(parsed.data.requestNumber)) continue;
      const fields = userRefundReceipt.fields.safeParse(decodeStrict(fromBase64(parsed.data.receipt)));
      if (!fields.success) continue;
      this.onReceipt(fields.data);
    }
  }

  private onTemporaryReceipt(fields: FieldsOf<typeof temporaryRefundReceipt>): void {
    const information = this.spInformation(fields.refundInformation, temporaryRefundReceipt.type, 'temporary');
    if (information.requestNumber !== fields.requestNumber || fields.userId !== this.wallet.host.credentials.principal.id) throw new ProtocolError('refused', 'temporary refund receipt is not this refund\'s', { type: temporaryRefundReceipt.type });
    if (this.receipts().some((entry) => entry.requestNumber === fields.requestNumber)) throw new ProtocolError('replay', `refund ${fields.requestNumber} already receipted`, { type: temporaryRefundReceipt.type });
    this.enter(information.ticketId, { requestNumber: fields.requestNumber, serviceCode: REFUND_SERVICE_CODE, usedAt: this.wallet.host.clock.now(), kind: temporaryRefundReceipt.type, ticketId: information.ticketId, information: encodeCanonical(fields) });
  }

  private onReceipt(fields: FieldsOf<typeof userRefundReceipt>): void {
    const information = this.spInformation(fields.refundInformation, userRefundReceipt.type, 'final');
    if (information.requestNumber !== fields.refundReceipt.requestNumber || fields.userId !== this.wallet.host.credentials.principal.id) throw new ProtocolError('refused', 'refund receipt is not this refund\'s', { type: userRefundReceipt.type });
    if (this.hasFinalReceipt(information.requestNumber)) throw new ProtocolError('replay', `refund ${information.requestNumber} already receipted`, { type: userRefundReceipt.type });
    this.enter(information.ticketId, { requestNumber: information.requestNumber, serviceCode: REFUND_SERVICE_CODE, usedAt: this.wallet.host.clock.now(), kind: userRefundReceipt.type, ticketId: information.ticketId, information: encodeCanonical(fields) });
  }

  private onRefusal(fields: FieldsOf<typeof refundRefusal>): void {
    const record: RefundRefusalRecord = { modificationNumber: fields.modificationNumber, ticketId: fields.ticketId, responseCode: fields.responseCode, responseMessage: fields.responseMessage, receivedAt: this.wallet.host.clock.now() };
    this.save({ refusals: [...this.read().refusals, record].slice(-MAX_REFUSALS) });
  }

  /** Erases the refunded ticket and enters the receipt, replacing a temporary receipt of the same refund. */
  private enter(ticketId: string, entry: UseEntry): void {
    this.wallet.store.update((state) => ({
      ...state,
      tickets: state.tickets.filter((ticket) => ticket.ticketId !== ticketId),
      useList: [...state.useList.filter((used) => !(used.serviceCode === REFUND_SERVICE_CODE && used.requestNumber === entry.requestNumber)), entry],
    }));
  }

  private hasFinalReceipt(requestNumber: string): boolean {
    return this.receipts().some((entry) => entry.requestNumber === requestNumber && entry.kind === userRefundReceipt.type);
  }

  private spInformation(bytes: Uint8Array, type: string, stage: 'temporary' | 'final') {
    const { host } = this.wallet;
    const sp = host.credentials.sp;
    const opened = openPart(host.envelope, SP_REFUND_INFORMATION_TYPE, bytes, spRefundInformationBody, [sp.id], (kid) => (kid === sp.id ? sp.signingPublicKey : undefined));
    if (!opened.ok) throw new ProtocolError('bad-signature', opened.reason, { type });
    if (opened.body.stage !== stage || opened.body.userId !== host.credentials.principal.id) throw new ProtocolError('refused', `refund information is not a ${stage} receipt for this user`, { type });
    return opened.body;
  }

  private read(): RefundingState {
    const raw = this.wallet.store.get().processes[REFUNDING_PROCESS];
    return raw === undefined ? { refusals: [] } : refundingState.parse(raw);
  }

  private save(next: RefundingState): void {
    this.wallet.store.update((state) => ({ ...state, processes: { ...state.processes, [REFUNDING_PROCESS]: next } }));
  }
}
