/** Why a transfer command cannot run (an illegal operation on this terminal, not a message from outside). */
export type TicketTransferErrorCode = 'use-disabled' | 'unknown-ticket' | 'not-transferable' | 'in-progress' | 'no-user-certificate' | 'unknown-offer' | 'wrong-stage' | 'writing-disabled';

export class TicketTransferError extends Error {
  override readonly name = 'TicketTransferError';
  constructor(
    readonly code: TicketTransferErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** How an offer made by this terminal ended, as the user sees it (7405, 7408). */
export type TransferOutcome =
  | { readonly outcome: 'transferred'; readonly transferOfferNumber: string; readonly acceptanceNumber: string }
  | { readonly outcome: 'refused'; readonly transferOfferNumber: string }
  /** No answer in time: an offer not answered is withdrawn; a certificate given stays pending until its receipt. */
  | { readonly outcome: 'unanswered' | 'awaiting-receipt'; readonly transferOfferNumber: string };
