import { z } from 'zod';
import { toHex } from '../../../../common/bytes.js';
import { encodeCanonical } from '../../../../protocol/cbor.js';
import { ProtocolError } from '../../../../protocol/errors.js';
import { openPart } from '../../../../protocol/signed-part.js';
import type { Message, Money } from '../../../../protocol/message.js';
import { ticketSalesOfferBody, TICKET_SALES_OFFER_TYPE } from '../../order/order.messages.js';
import { FINAL_RECEIPT_KEY_PREFIX } from '../../purchase/final-receipt.hook.js';
import {
  electronicTicketIssuing,
  FINAL_RECEIPT_TYPE,
  temporaryTicketReceipt,
  ticketPurchaseReceipt,
  ticketPurchaseReceiptFields,
  ticketPurchaseResponse,
  type TicketPurchaseResponseCode,
} from '../../purchase/purchase.messages.js';
import { PendingReplies } from './pending-replies.js';
import type { StoredOffer, TicketOrdering } from './ticket-ordering.js';
import type { WalletContext, WalletProcess } from './wallet-process.js';
import type { UseEntry, WalletState } from './wallet-state.js';

export const TICKET_PURCHASING = 'ticket-purchasing';

/** A purchase sent and what has come back for it so far. */
const purchaseEntry = z
  .object({
    offerNumber: z.string(),
    ticketIds: z.array(z.string()),
    clearing: z.enum(['spontaneous', 'delayed']).nullable(),
    receipt: z.enum(['none', 'temporary', 'final']),
    outcome: z.enum(['pending', 'issued', 'refused']),
    responseCode: z.string().nullable(),
  })
  .strict();
type PurchaseEntry = z.infer<typeof purchaseEntry>;
const purchasingState = z.object({ purchases: z.record(z.string(), purchaseEntry) }).strict();
type PurchasingState = z.infer<typeof purchasingState>;

export type TicketPurchaseResult =
  | { readonly outcome: 'issued'; readonly requestNumber: string; readonly clearing: 'spontaneous' | 'delayed'; readonly ticketIds: readonly string[] }
  | { readonly outcome: 'refused'; readonly requestNumber: string; readonly responseCode: TicketPurchaseResponseCode; readonly responseMessage: string };

export interface TicketPurchaseCommand {
  /** The offer to buy (default: the latest kept). */
  readonly offerNumber?: string;
  readonly paymentServiceCode: string;
  readonly paymentOptionCode?: string;
  /** Defaults to the offer's price. */
  readonly paymentValue?: Money;
  readonly timeoutMs?: number;
}

/**
 * Ticket purchase on the mobile user terminal [1574], [1601], [1612], [1618]: sends 5901 quoting the offer; enters the
 * tickets of 5908 / 6004 in the ticket list 1712 and the receipt 5909 or temporary receipt 6005 in the use list 1715;
 * a final receipt arriving with a data update (6011) replaces the temporary one.
 */
export class TicketPurchasing implements WalletProcess {
  readonly messageTypes = [electronicTicketIssuing.type, ticketPurchaseReceipt.type, temporaryTicketReceipt.type, ticketPurchaseResponse.type];
  private readonly pending = new PendingReplies<TicketPurchaseResult>();

  constructor(
    private readonly wallet: WalletContext,
    private readonly ordering: TicketOrdering,
  ) {}

  get purchases(): Readonly<Record<string, PurchaseEntry>> {
    return this.state().purchases;
  }

  async purchase(command: TicketPurchaseCommand): Promise<TicketPurchaseResult> {
    const offer = this.offerFor(command.offerNumber);
    const { host } = this.wallet;
    const body = ticketSalesOfferBody.parse(this.offerBody(offer));
    const requestNumber = `p${toHex(host.crypto.randomBytes(8))}`;
    this.saveEntry(requestNumber, { offerNumber: offer.offerNumber, ticketIds: [], clearing: null, receipt: 'none', outcome: 'pending', responseCode: null });
    const answer = this.pending.wait(requestNumber, command.timeoutMs ?? 15_000, 'ticket purchase outcome');
    await host.sendToServiceProvider('ticketPurchaseOrder', {
      serviceCode: offer.issuerId,
      ticketSalesOffer: offer.ticketSalesOffer,
      offerNumber: offer.offerNumber,
      paymentServiceCode: command.paymentServiceCode,
      paymentValue: command.paymentValue ?? body.price,
      paymentOptionCode: command.paymentOptionCode ?? 'single',
      requestNumber,
      validUntil: Math.min(offer.validUntil, host.clock.now() + 10 * 60_000),
      userId: host.credentials.principal.id,
    });
    this.ordering.forget(offer.offerNumber);
    return answer;
  }

  async onMessage(message: Message): Promise<void> {
    switch (message.type) {
      case electronicTicketIssuing.type: {
        const fields = electronicTicketIssuing.fields.parse(message.fields);
        this.requireOwn(fields.requestNumber, message.type);
        this.wallet.store.update((state) => ({
          ...state,
          tickets: [...state.tickets.filter((ticket) => !fields.electronicTickets.some((issued) => issued.ticketId === ticket.ticketId)), ...fields.electronicTickets.map((ticket) => ({ ...ticket, examinationNumber: 0 }))],
        }));
        this.updateEntry(fields.requestNumber, (entry) => ({ ...entry, ticketIds: fields.electronicTickets.map((ticket) => ticket.ticketId) }));
        break;
      }
      case ticketPurchaseReceipt.type: {
        const fields = ticketPurchaseReceipt.fields.parse(message.fields);
        const requestNumber = fields.receipt.requestNumber;
        this.requireOwn(requestNumber, message.type);
        this.addUse(this.useEntry(requestNumber, 'ticketPurchaseReceipt', encodeCanonical(fields)));
        this.updateEntry(requestNumber, (entry) => ({ ...entry, clearing: 'spontaneous', receipt: 'final' }));
        break;
      }
      case temporaryTicketReceipt.type: {
        const fields = temporaryTicketReceipt.fields.parse(message.fields);
        this.requireOwn(fields.requestNumber, message.type);
        this.addUse(this.useEntry(fields.requestNumber, 'temporaryTicketReceipt', encodeCanonical(fields)));
        this.updateEntry(fields.requestNumber, (entry) => ({ ...entry, clearing: 'delayed', receipt: entry.receipt === 'final' ? 'final' : 'temporary' }));
        break;
      }
      case ticketPurchaseResponse.type: {
        const fields = ticketPurchaseResponse.fields.parse(message.fields);
        const entry = this.requireOwn(fields.requestNumber, message.type);
        // A delayed purchase whose clearing was refused later: its tickets leave the ticket list (DESIGN: undone).
        this.wallet.store.update((state) => ({ ...state, tickets: state.tickets.filter((ticket) => !entry.ticketIds.includes(ticket.ticketId)) }));
        this.updateEntry(fields.requestNumber, (current) => ({ ...current, outcome: 'refused', responseCode: fields.responseCode }));
        this.pending.settle(fields.requestNumber, { outcome: 'refused', requestNumber: fields.requestNumber, responseCode: fields.responseCode, responseMessage: fields.responseMessage });
        return;
      }
      default:
        throw new ProtocolError('unknown-type', `ticket purchasing takes no ${message.type}`, { type: message.type });
    }
    this.settleIfIssued(message.type === electronicTicketIssuing.type ? electronicTicketIssuing.fields.parse(message.fields).requestNumber : this.requestNumberOf(message));
  }

  /** 6011 [1618]: final receipts in the service data area replace the temporary receipts of the use list. */
  async onDataUpdated(): Promise<void> {
    const serviceData = this.wallet.host.serviceData?.() ?? {};
    const spKey = this.wallet.host.credentials.sp.signingPublicKey;
    for (const [key, item] of Object.entries(serviceData)) {
      if (!key.startsWith(FINAL_RECEIPT_KEY_PREFIX)) continue;
      const value = item.value as { requestNumber?: unknown; receipt?: unknown } | null;
      if (value === null || typeof value.requestNumber !== 'string' || typeof value.receipt !== 'string') continue;
      const requestNumber = value.requestNumber;
      const entry = this.state().purchases[requestNumber];
      if (entry === undefined || entry.receipt === 'final') continue;
      const bytes = new Uint8Array(Buffer.from(value.receipt, 'base64'));
      const opened = openPart(this.wallet.host.envelope, FINAL_RECEIPT_TYPE, bytes, ticketPurchaseReceiptFields, [this.wallet.host.credentials.sp.id], (kid) => (kid === this.wallet.host.credentials.sp.id ? spKey : undefined));
      if (!opened.ok || opened.body.receipt.requestNumber !== requestNumber) continue;
      this.wallet.store.update((state) => replaceTemporaryReceipt(state, requestNumber, this.useEntry(requestNumber, 'ticketPurchaseReceipt', bytes)));
      this.updateEntry(requestNumber, (current) => ({ ...current, receipt: 'final' }));
    }
  }

  private settleIfIssued(requestNumber: string): void {
    const entry = this.state().purchases[requestNumber];
    if (entry === undefined || entry.ticketIds.length === 0 || entry.receipt === 'none' || entry.clearing === null) return;
    if (entry.outcome === 'pending') this.updateEntry(requestNumber, (current) => ({ ...current, outcome: 'issued' }));
    this.pending.settle(requestNumber, { outcome: 'issued', requestNumber, clearing: entry.clearing, ticketIds: entry.ticketIds });
  }

  private requestNumberOf(message: Message): string {
    const fields = message.fields as { requestNumber?: string; receipt?: { requestNumber?: string } };
    return fields.receipt?.requestNumber ?? fields.requestNumber ?? '';
  }

  /** Only answers to this terminal's own purchases are taken. */
  private requireOwn(requestNumber: string, type: string): PurchaseEntry {
    const entry = this.state().purchases[requestNumber];
    if (entry === undefined) throw new ProtocolError('refused', `${type} for request ${requestNumber}, which this terminal did not send`, { type });
    return entry;
  }

  private offerFor(offerNumber: string | undefined): StoredOffer {
    const offers = Object.values(this.ordering.offers);
    const offer = offerNumber === undefined ? offers.at(-1) : this.ordering.offers[offerNumber];
    if (offer === undefined) throw new Error(offerNumber === undefined ? 'no ticket sales offer kept: order first' : `no ticket sales offer ${offerNumber}`);
    return offer;
  }

  private offerBody(offer: StoredOffer): unknown {
    const opened = openPart(this.wallet.host.envelope, TICKET_SALES_OFFER_TYPE, offer.ticketSalesOffer, ticketSalesOfferBody, [], () => undefined);
    return opened.ok ? opened.body : undefined;
  }

  private useEntry(requestNumber: string, kind: string, information: Uint8Array): UseEntry {
    return { requestNumber, serviceCode: TICKET_PURCHASING, usedAt: this.wallet.host.clock.now(), kind, ticketId: null, information };
  }

  private addUse(entry: UseEntry): void {
    this.wallet.store.update((state) => ({ ...state, useList: [...state.useList.filter((use) => !(use.requestNumber === entry.requestNumber && use.kind === entry.kind)), entry] }));
  }

  private state(): PurchasingState {
    const parsed = purchasingState.safeParse(this.wallet.store.get().processes[TICKET_PURCHASING]);
    return parsed.success ? parsed.data : { purchases: {} };
  }

  private saveEntry(requestNumber: string, entry: PurchaseEntry): void {
    this.wallet.store.update((state) => ({ ...state, processes: { ...state.processes, [TICKET_PURCHASING]: { purchases: { ...this.state().purchases, [requestNumber]: entry } } } }));
  }

  private updateEntry(requestNumber: string, change: (entry: PurchaseEntry) => PurchaseEntry): void {
    const entry = this.state().purchases[requestNumber];
    if (entry !== undefined) this.saveEntry(requestNumber, change(entry));
  }
}

function replaceTemporaryReceipt(state: WalletState, requestNumber: string, final: UseEntry): WalletState {
  const useList = state.useList.filter((use) => !(use.requestNumber === requestNumber && (use.kind === 'temporaryTicketReceipt' || use.kind === 'ticketPurchaseReceipt')));
  return { ...state, useList: [...useList, final] };
}
