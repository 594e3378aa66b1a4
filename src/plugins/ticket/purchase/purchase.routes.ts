import { SERVICE_MANAGER_ID } from '../../../actors/processor-events.js';
import type { InboundRoute } from '../../../core/inbound-route.js';
import type { FieldsOf } from '../../../protocol/message.js';
import { openPart } from '../../../protocol/signed-part.js';
import type { PluginServices } from '../../plugin.contract.js';
import { customerNumberFor } from '../persistence/customer-table.js';
import { TICKET_SALES_OFFER_TYPE, ticketSalesOfferBody } from '../order/order.messages.js';
import { isKnownTicketIssuer } from '../order/order.routes.js';
import type { ticketPurchaseOrder } from './purchase.messages.js';
import type { TicketPurchaseRequest } from './purchase-request.js';

/**
 * 5901 from a mobile user terminal -> the service manager opens `director:ticket-purchase` [1576]. The route checks
 * what needs the database: the signer is the user, the issuer is on the ticket issuer list, and the quoted ticket sales
 * offer is that issuer's, signed by it, for this offer number and this user's customer number.
 */
export function ticketPurchaseRoute(services: PluginServices): InboundRoute {
  return {
    messageType: 'ticketPurchaseOrder',
    async route(verified, device) {
      const { message } = verified;
      const fields = message.fields as FieldsOf<typeof ticketPurchaseOrder>;
      const now = services.clock.now();
      if (device.kind !== 'mobile') return `${device.kind} devices do not purchase tickets`;
      if (fields.userId !== message.from) return `user ID ${fields.userId} is not the signer ${message.from}`;
      if (fields.validUntil < now) return `purchase order ${fields.requestNumber} expired at ${fields.validUntil}`;
      if (!(await isKnownTicketIssuer(services, fields.serviceCode))) return `service code ${fields.serviceCode} names no ticket issuer`;
      const key = await services.identity.signingKey(fields.serviceCode, now);
      const offer = openPart(services.envelope, TICKET_SALES_OFFER_TYPE, fields.ticketSalesOffer, ticketSalesOfferBody, [fields.serviceCode], (kid) => (kid === fields.serviceCode && key.usable ? key.publicKey : undefined));
      if (!offer.ok) return `ticket sales offer: ${offer.reason}`;
      const customerNumber = await customerNumberFor(services.dataSource, services.crypto, fields.serviceCode, fields.userId, now);
      if (offer.body.offerNumber !== fields.offerNumber || offer.body.customerNumber !== customerNumber) return `offer ${fields.offerNumber} was not made to ${fields.userId}`;
      const pg = `txn:ticket-purchase:${message.id}`;
      const request: TicketPurchaseRequest = {
        pg,
        userId: fields.userId,
        deviceId: device.id,
        requestId: message.id,
        issuerId: fields.serviceCode,
        customerNumber,
        offerNumber: fields.offerNumber,
        paymentServiceCode: fields.paymentServiceCode,
        paymentValue: fields.paymentValue,
        paymentOptionCode: fields.paymentOptionCode,
        requestNumber: fields.requestNumber,
        validUntil: fields.validUntil,
      };
      return { actorId: SERVICE_MANAGER_ID, kind: 'service-manager', input: { spId: services.spId }, processGroup: pg, event: { type: 'process.open', pg, process: 'ticket-purchase', input: { request, tpsId: services.tpsId } } };
    },
  };
}
