import type { FieldsOf } from '../../../../protocol/message.js';
import { ProtocolError } from '../../../../protocol/errors.js';
import { signPart } from '../../../../protocol/signed-part.js';
import { ISSUER_TICKET_ISSUING_INFORMATION_TYPE, issuerTicketReceipt, type ticketClearingCompletion } from '../../purchase/purchase.messages.js';
import { issuerSql } from '../issuer-sql.js';
import type { IssuerHandler } from './issuer-answer.js';

type Completion = FieldsOf<typeof ticketClearingCompletion>;

/**
 * Clearing completion notification 5906 / 6009 -> receipt 5907 / 6010 [1594], [1616]: the sale is cleared and counts
 * in the customer's purchase history (which makes the customer trusted after enough purchases).
 */
export const handleClearingCompletion: IssuerHandler<Completion> = async (context, em, completion) => {
  const sale = await issuerSql.sale(em, completion.transactionNumber);
  if (sale === undefined || sale.requestNumber !== completion.requestNumber || sale.customerNumber !== completion.customerNumber) {
    throw new ProtocolError('refused', `no sale ${completion.transactionNumber} for request ${completion.requestNumber}`, { type: 'ticketClearingCompletion' });
  }
  if (sale.status !== 'commissioned') throw new ProtocolError('refused', `sale ${sale.transactionNumber} is ${sale.status}`, { type: 'ticketClearingCompletion' });
  if (completion.paymentValue.amount !== sale.amount || completion.paymentValue.currency !== sale.currency) {
    throw new ProtocolError('refused', `sale ${sale.transactionNumber} was for ${sale.amount} ${sale.currency}`, { type: 'ticketClearingCompletion' });
  }
  const now = context.clock.now();
  await issuerSql.clearSale(em, sale, completion.clearingNumber, now);
  const ticketIds = await issuerSql.ticketsOfSale(em, sale.transactionNumber);
  const information = { ticketIssuerId: context.id, transactionNumber: sale.transactionNumber, ticketIds, salesValue: { amount: sale.amount, currency: sale.currency }, receivedAt: now };
  return {
    definition: issuerTicketReceipt,
    fields: {
      customerNumber: sale.customerNumber,
      ticketIssuingInformation: signPart(context.envelope, ISSUER_TICKET_ISSUING_INFORMATION_TYPE, information, [context.signer]),
      paymentServiceCode: completion.paymentServiceCode,
      paymentValue: completion.paymentValue,
      paymentOptionCode: completion.paymentOptionCode,
      requestNumber: completion.requestNumber,
      transactionNumber: completion.transactionNumber,
      clearingInformation: completion.clearingInformation,
      transactionProcessorId: completion.transactionProcessorId,
      ticketIssuerId: context.id,
    },
  };
};
