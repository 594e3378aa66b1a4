import { z } from 'zod';
import { toHex } from '../../../../common/bytes.js';
import { ProtocolError } from '../../../../protocol/errors.js';
import { bytes, type FieldsOf, type Message } from '../../../../protocol/message.js';
import { ticketOrderResponse } from '../../order/order.messages.js';
import { PendingReplies } from './pending-replies.js';
import type { WalletContext, WalletProcess } from './wallet-process.js';

export const TICKET_ORDERING = 'ticket-ordering';

/** An offer received in a ticket order response, kept for the purchase ([1575]: the purchase order quotes it). */
export const storedOffer = z
  .object({ issuerId: z.string(), offerNumber: z.string(), ticketSalesOffer: bytes(), validUntil: z.number().int(), requestNumber: z.string() })
  .strict();
export type StoredOffer = z.infer<typeof storedOffer>;
const orderingState = z.object({ offers: z.record(z.string(), storedOffer) }).strict();
type OrderingState = z.infer<typeof orderingState>;

export type TicketOrderResult = FieldsOf<typeof ticketOrderResponse>;

export interface TicketOrderCommand {
  /** The service code 8901: the ticket issuer chosen. */
  readonly issuer: string;
  readonly ticketCode: string;
  readonly date: string;
  readonly count: number;
  readonly timeoutMs?: number;
}

/** Ticket order on the mobile user terminal [1558], [1571]: sends 5801, takes 5804 and keeps the offer for the purchase. */
export class TicketOrdering implements WalletProcess {
  readonly messageTypes = [ticketOrderResponse.type];
  private readonly pending = new PendingReplies<TicketOrderResult>();

  constructor(private readonly wallet: WalletContext) {}

  /** The offers kept from ticket order responses, by offer number. */
  get offers(): Readonly<Record<string, StoredOffer>> {
    return this.state().offers;
  }

  async order(command: TicketOrderCommand): Promise<TicketOrderResult> {
    const { host } = this.wallet;
    const requestNumber = `r${toHex(host.crypto.randomBytes(8))}`;
    const answer = this.pending.wait(requestNumber, command.timeoutMs ?? 10_000, 'ticket order response');
    await host.sendToServiceProvider('ticketOrder', {
      serviceCode: command.issuer,
      ticketOrderCode: command.ticketCode,
      desiredDate: command.date,
      desiredCount: command.count,
      requestNumber,
      userId: host.credentials.principal.id,
    });
    return answer;
  }

  async onMessage(message: Message): Promise<void> {
    const parsed = ticketOrderResponse.fields.safeParse(message.fields);
    if (!parsed.success) throw new ProtocolError('schema', 'ticket order response does not match its schema', { type: message.type });
    const response = parsed.data;
    if (response.responseCode === 'ticket-available' && response.ticketSalesOffer !== null && response.offerNumber !== null && response.validUntil !== null) {
      const offer: StoredOffer = { issuerId: '', offerNumber: response.offerNumber, ticketSalesOffer: response.ticketSalesOffer, validUntil: response.validUntil, requestNumber: response.requestNumber };
      this.save({ offers: { ...this.state().offers, [response.offerNumber]: { ...offer, issuerId: this.issuerOf(response.ticketSalesOffer) } } });
    }
    this.pending.settle(response.requestNumber, response);
  }

  /** Removes an offer once a purchase has used it. */
  forget(offerNumber: string): void {
    const offers = { ...this.state().offers };
    delete offers[offerNumber];
    this.save({ offers });
  }

  private issuerOf(offer: Uint8Array): string {
    const frame = this.wallet.host.envelope.decodeFrame(offer);
    return frame.t === 'signed' ? (frame.s[0]?.kid ?? '') : '';
  }

  private state(): OrderingState {
    const parsed = orderingState.safeParse(this.wallet.store.get().processes[TICKET_ORDERING]);
    return parsed.success ? parsed.data : { offers: {} };
  }

  private save(next: OrderingState): void {
    this.wallet.store.update((state) => ({ ...state, processes: { ...state.processes, [TICKET_ORDERING]: next } }));
  }
}
