import { SERVICE_MANAGER_ID } from '../../../actors/processor-events.js';
import type { InboundRoute } from '../../../core/inbound-route.js';
import type { FieldsOf } from '../../../protocol/message.js';
import type { PluginServices } from '../../plugin.contract.js';
import { RegisteredTicketEntity } from '../persistence/registered-ticket.entity.js';
import type { ticketRegistrationRequest } from './registration.messages.js';
import type { TicketRegistrationRequest } from './ticket-registration-director.machine.js';

/**
 * 6501 from a mobile user terminal -> `director:ticket-registration` [1625]. Refused (audited, nothing changed) unless
 * the ticket is in the signer's ticket list 4610 and not registered yet; the spec gives no refusal message.
 */
export function ticketRegistrationRoute(services: PluginServices): InboundRoute {
  return {
    messageType: 'ticketRegistrationRequest',
    async route(verified, device) {
      const { message } = verified;
      const fields = message.fields as FieldsOf<typeof ticketRegistrationRequest>;
      if (device.kind !== 'mobile') return `${device.kind} devices do not register tickets`;
      if (fields.userId !== message.from) return `user ID ${fields.userId} is not the signer ${message.from}`;
      const row = await services.dataSource.getRepository(RegisteredTicketEntity).findOneBy({ ticketId: fields.ticketId });
      if (row === null || row.userId !== fields.userId) return `ticket ${fields.ticketId} is not in the ticket list of ${fields.userId}`;
      if (row.lifecycle !== 'issued') return `ticket ${fields.ticketId} is ${row.lifecycle}, not waiting for registration`;
      const pg = `txn:ticket-registration:${message.id}`;
      const request: TicketRegistrationRequest = { pg, userId: fields.userId, deviceId: device.id, requestId: message.id, ticketId: fields.ticketId };
      return { actorId: SERVICE_MANAGER_ID, kind: 'service-manager', input: { spId: services.spId }, processGroup: pg, event: { type: 'process.open', pg, process: 'ticket-registration', input: { request } } };
    },
  };
}
