import { ProtocolError } from '../../../../protocol/errors.js';
import type { FieldsOf } from '../../../../protocol/message.js';
import { signPart } from '../../../../protocol/signed-part.js';
import { ISSUER_REFUND_INFORMATION_TYPE, refundReceipt, type refundClearingCompletionNotification } from '../../refund/refund.messages.js';
import { TisRefund } from '../entities/index.js';
import type { IssuerHandler } from './issuer-answer.js';

type Completion = FieldsOf<typeof refundClearingCompletionNotification>;

/**
 * Refund clearing completion notification 8209 / 8311 -> refund receipt 8210 / 8312 [1747]-[1748]: the refund must be
 * one the issuer commissioned, for this request, customer and amount; it is recorded as cleared (once: the same
 * notification again gets the same receipt) and receipted with the issuer-signed refund information 13402.
 */
export const handleRefundClearingCompletion: IssuerHandler<Completion> = async (context, em, completion) => {
  const refund = await em.getRepository(TisRefund).findOneBy({ transactionNumber: completion.transactionNumber });
  if (refund === null || refund.requestNumber !== completion.requestNumber || refund.customerNumber !== completion.customerNumber) {
    throw new ProtocolError('refused', `no refund ${completion.transactionNumber} for request ${completion.requestNumber}`, { type: 'refundClearingCompletionNotification' });
  }
  if (completion.refundAmount.amount !== refund.amount || completion.refundAmount.currency !== refund.currency) {
    throw new ProtocolError('refused', `refund ${refund.transactionNumber} is ${refund.amount} ${refund.currency}`, { type: 'refundClearingCompletionNotification' });
  }
  if (refund.status === 'cleared' && refund.clearingNumber !== completion.clearingNumber) {
    throw new ProtocolError('refused', `refund ${refund.transactionNumber} was cleared as ${refund.clearingNumber}`, { type: 'refundClearingCompletionNotification' });
  }
  const now = context.clock.now();
  if (refund.status === 'commissioned') await em.getRepository(TisRefund).update({ transactionNumber: refund.transactionNumber }, { status: 'cleared', clearingNumber: completion.clearingNumber, updatedAt: now });
  const information = { ticketId: refund.ticketId, transactionNumber: refund.transactionNumber, requestNumber: refund.requestNumber, refundAmount: completion.refundAmount, cancelledAt: refund.createdAt, ticketIssuerId: context.id };
  return {
    definition: refundReceipt,
    fields: {
      customerNumber: refund.customerNumber,
      refundInformation: signPart(context.envelope, ISSUER_REFUND_INFORMATION_TYPE, information, [context.signer]),
      refundAmount: completion.refundAmount,
      requestNumber: refund.requestNumber,
      transactionNumber: refund.transactionNumber,
      clearingNumber: completion.clearingNumber,
      transactionProcessorId: completion.transactionProcessorId,
      ticketIssuerId: context.id,
    },
  };
};
