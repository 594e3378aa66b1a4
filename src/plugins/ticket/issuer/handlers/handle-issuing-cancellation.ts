import type { FieldsOf } from '../../../../protocol/message.js';
import { ProtocolError } from '../../../../protocol/errors.js';
import { ticketIssuingCancelled, type ticketIssuingCancellation } from '../../purchase/purchase.messages.js';
import { TisIssuedTicket, TisSale, TisUnit } from '../entities/index.js';
import type { IssuerHandler } from './issuer-answer.js';

type Cancellation = FieldsOf<typeof ticketIssuingCancellation>;

/**
 * The SP cancels an issuing commission whose clearing failed (DESIGN: clearing that fails undoes the process): the sale
 * is cancelled, its tickets void and its units on sale again. A cleared sale is never cancelled this way.
 */
export const handleIssuingCancellation: IssuerHandler<Cancellation> = async (context, em, cancellation) => {
  const sale = await em.getRepository(TisSale).findOneBy({ transactionNumber: cancellation.transactionNumber });
  if (sale === null || sale.requestNumber !== cancellation.requestNumber || sale.customerNumber !== cancellation.customerNumber) {
    throw new ProtocolError('refused', `no sale ${cancellation.transactionNumber} for request ${cancellation.requestNumber}`, { type: 'ticketIssuingCancellation' });
  }
  if (sale.status === 'cleared') throw new ProtocolError('refused', `sale ${sale.transactionNumber} is cleared: refund it instead`, { type: 'ticketIssuingCancellation' });
  if (sale.status === 'commissioned') {
    await em.getRepository(TisSale).update({ transactionNumber: sale.transactionNumber }, { status: 'cancelled', updatedAt: context.clock.now() });
    await em.getRepository(TisIssuedTicket).update({ transactionNumber: sale.transactionNumber }, { status: 'cancelled' });
    await em.getRepository(TisUnit).update({ ticketCode: sale.ticketCode, holder: sale.transactionNumber }, { status: 'free', holder: null, heldUntil: null });
  }
  return { definition: ticketIssuingCancelled, fields: { requestNumber: sale.requestNumber, transactionNumber: sale.transactionNumber, ticketIssuerId: context.id } };
};
