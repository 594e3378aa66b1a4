import type { ReferenceTicketIssuerSettings } from './issuer/reference-ticket-issuing-system.js';
import type { CardSettings } from './purchase/clearing-accounts.js';

/** Options of the ticket plugin. */
export interface TicketPluginOptions {
  /** The reference ticket issuing system's catalogue and selling policy (trusted after N purchases...). */
  readonly referenceIssuer?: ReferenceTicketIssuerSettings;
  /** Credit limits of the users' card accounts the SP opens at the transaction processor on a first purchase. */
  readonly cards?: Partial<CardSettings>;
  /** Period of the delayed clearing batch; default daily, 0 for none (tests start batches with startClearingBatch). */
  readonly clearingBatchIntervalMs?: number;
}

export const TICKET_OPTIONS = Symbol('TicketPluginOptions');
