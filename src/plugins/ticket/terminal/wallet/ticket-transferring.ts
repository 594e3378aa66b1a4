import { isProtocolError, ProtocolError } from '../../../../protocol/errors.js';
import type { Message } from '../../../../protocol/message.js';
import { ticketTransfer, ticketTransferCertificate, ticketTransferOffer, ticketTransferOfferResponse, ticketTransferReceipt } from '../../transfer/transfer.messages.js';
import type { TransferOutcome } from './transfer-error.js';
import { TransferLink, type PeekedFrame } from './transfer-link.js';
import { TransferOffering } from './transfer-offering.js';
import { TransferReceiving } from './transfer-receiving.js';
import type { IncomingTransfer } from './transferring-state.js';
import type { WalletContext, WalletProcess } from './wallet-process.js';

/** Bound on the refusals kept for display and inspection. */
const MAX_REFUSALS = 50;

/**
 * The ticket transfer process on the mobile user terminal ([1667]-[1694]), both roles: user A offers a ticket to
 * another terminal over the proximity link; user B checks, accepts or refuses, receipts the certificate and asks the
 * service providing system for the ticket, at once or with the next data update.
 *
 * @example
 * const outcome = wallet.transferring.offer(ticketId, 'dev:mobile:bob-phone');     // on A's terminal
 * await bobWallet.transferring.accept(bobWallet.transferring.offers()[0].transferOfferNumber);
 * await bobWallet.transferring.requestTransfer(transferOfferNumber);               // or deferTransfer(...)
 */
export class TicketTransferring implements WalletProcess {
  readonly messageTypes = [ticketTransfer.type];
  /** Frames from other terminals this terminal refused (nothing changed for them), newest last. */
  readonly refusals: ProtocolError[] = [];
  private readonly offering: TransferOffering;
  private readonly receiving: TransferReceiving;
  private readonly link: TransferLink;

  constructor(wallet: WalletContext) {
    this.link = new TransferLink(wallet.host);
    this.offering = new TransferOffering(wallet, this.link);
    this.receiving = new TransferReceiving(wallet, this.link);
    wallet.host.proximity?.onFrame((frame) => this.onFrame(frame));
  }

  offer(ticketId: string, toTerminalId: string, timeoutMs?: number): Promise<TransferOutcome> {
    return this.offering.offer(ticketId, toTerminalId, timeoutMs);
  }

  /** Offers received, certificates held and requests made (the displays 7402 and 7409). */
  offers(): readonly IncomingTransfer[] {
    return this.receiving.offers();
  }

  accept(transferOfferNumber: string): Promise<string> {
    return this.receiving.accept(transferOfferNumber);
  }

  refuse(transferOfferNumber: string): Promise<void> {
    return this.receiving.refuse(transferOfferNumber);
  }

  requestTransfer(transferOfferNumber: string): Promise<void> {
    return this.receiving.requestTransfer(transferOfferNumber);
  }

  deferTransfer(transferOfferNumber: string): void {
    this.receiving.deferTransfer(transferOfferNumber);
  }

  async onMessage(message: Message): Promise<void> {
    await this.receiving.onTicketTransfer(message);
  }

  /** A frame on the proximity link: transfer messages for this terminal are handled, anything else is left alone. */
  private async onFrame(frame: Uint8Array): Promise<void> {
    const peeked = this.link.peek(frame);
    if (peeked === undefined) return;
    try {
      await this.dispatch(frame, peeked);
    } catch (error) {
      // Nothing escapes to the link: the sending terminal learns only what the protocol answers.
      const refusal = isProtocolError(error) ? error : new ProtocolError('refused', error instanceof Error ? error.message : String(error), { type: peeked.type });
      this.refusals.push(refusal);
      if (this.refusals.length > MAX_REFUSALS) this.refusals.shift();
    }
  }

  private async dispatch(frame: Uint8Array, peeked: PeekedFrame): Promise<void> {
    if (this.link.isUseDisabled()) throw new ProtocolError('disabled', `${peeked.type} ignored: terminal use disabled`, { type: peeked.type });
    switch (peeked.type) {
      case ticketTransferOffer.type:
        return this.receiving.onOffer(frame, peeked);
      case ticketTransferOfferResponse.type:
        return this.offering.onResponse(frame, peeked);
      case ticketTransferCertificate.type:
        return this.receiving.onCertificate(frame, peeked);
      case ticketTransferReceipt.type:
        return this.offering.onReceipt(frame, peeked);
      default:
        return undefined;
    }
  }
}
