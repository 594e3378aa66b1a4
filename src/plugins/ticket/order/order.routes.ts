import { SERVICE_MANAGER_ID } from '../../../actors/processor-events.js';
import type { InboundRoute } from '../../../core/inbound-route.js';
import type { FieldsOf } from '../../../protocol/message.js';
import type { PluginServices } from '../../plugin.contract.js';
import { customerNumberFor } from '../persistence/customer-table.js';
import type { ticketOrder } from './order.messages.js';
import type { TicketOrderRequest } from './ticket-order-director.machine.js';

/** A ticket issuer the SP deals with: registered as an issuer party (the ticket issuer list 5203). */
export async function isKnownTicketIssuer(services: PluginServices, issuerId: string): Promise<boolean> {
  if (!issuerId.startsWith('iss:ticket:')) return false;
  return (await services.identity.signingKey(issuerId, services.clock.now())).usable;
}

/** 5801 from a mobile user terminal -> the service manager opens `director:ticket-order` for it [1560]. */
export function ticketOrderRoute(services: PluginServices): InboundRoute {
  return {
    messageType: 'ticketOrder',
    async route(verified, device) {
      const { message } = verified;
      const fields = message.fields as FieldsOf<typeof ticketOrder>;
      if (device.kind !== 'mobile') return `${device.kind} devices do not order tickets`;
      if (fields.userId !== message.from) return `user ID ${fields.userId} is not the signer ${message.from}`;
      if (!(await isKnownTicketIssuer(services, fields.serviceCode))) return `service code ${fields.serviceCode} names no ticket issuer`;
      const customerNumber = await customerNumberFor(services.dataSource, services.crypto, fields.serviceCode, fields.userId, services.clock.now());
      const pg = `txn:ticket-order:${message.id}`;
      const request: TicketOrderRequest = {
        pg,
        userId: fields.userId,
        deviceId: device.id,
        requestId: message.id,
        issuerId: fields.serviceCode,
        customerNumber,
        ticketOrderCode: fields.ticketOrderCode,
        desiredDate: fields.desiredDate,
        desiredCount: fields.desiredCount,
        requestNumber: fields.requestNumber,
      };
      return { actorId: SERVICE_MANAGER_ID, kind: 'service-manager', input: { spId: services.spId }, processGroup: pg, event: { type: 'process.open', pg, process: 'ticket-order', input: { request } } };
    },
  };
}
