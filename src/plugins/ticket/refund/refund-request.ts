/** A refund the modification director opens for one ticket ([1734]), as plain data. */
export interface RefundRequested {
  readonly modificationId: string;
  readonly modificationNumber: string;
  readonly issuerId: string;
  readonly ticketId: string;
  readonly userId: string;
  readonly terminalId: string;
  /** The reaction selection 8104 that chose the refund (`re` of the answers), or null when the time limit chose it. */
  readonly requestId: string | null;
  readonly modificationPg: string;
}

export const REFUND_TASKS = {
  prepare: 'ticket.refund.prepare',
  commissioned: 'ticket.refund.commissioned',
  defer: 'ticket.refund.defer',
  cleared: 'ticket.refund.cleared',
  receipted: 'ticket.refund.receipted',
  alert: 'ticket.refund.alert',
} as const;

/**
 * The request number of a refund clearing request at the transaction processor (numbers are per sender, the SP). The
 * processor stores each answer, a refusal too, so every attempt (a retry in a later batch) has its own.
 */
export const tpsRefundRequestNumber = (requestNumber: string, attempt: number): string => `refund:${requestNumber}.${attempt}`;
