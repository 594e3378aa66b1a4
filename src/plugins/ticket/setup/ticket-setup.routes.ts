import { SERVICE_MANAGER_ID } from '../../../actors/processor-events.js';
import type { InboundRoute } from '../../../core/inbound-route.js';
import type { FieldsOf } from '../../../protocol/message.js';
import type { ticketSetupRequest } from './setup.messages.js';
import type { TicketSetupRequested } from './ticket-setup-director.machine.js';

/**
 * 6601 from a gate terminal ([1632]): the merchant processor's checks (a gate, naming itself and its owner), then a
 * ticket setup process group with its service director. The merchant list is the director's check.
 */
export function ticketSetupRoutes(spId: string): InboundRoute[] {
  return [
    {
      messageType: 'ticketSetupRequest',
      async route(verified, device) {
        const fields = verified.message.fields as FieldsOf<typeof ticketSetupRequest>;
        if (device.kind !== 'gate') return `only gate terminals set tickets up, not ${device.kind} devices`;
        if (fields.gateId !== device.id) return `gate ID ${fields.gateId} is not the sending gate ${device.id}`;
        if (fields.merchantId !== device.ownerId) return `merchant ID ${fields.merchantId} does not own ${device.id}`;
        const pg = `txn:ticket-setup:${verified.message.id}`;
        const request: TicketSetupRequested = { requestId: verified.message.id, gateId: device.id, merchantId: fields.merchantId, ticketCode: fields.ticketCode };
        return { actorId: SERVICE_MANAGER_ID, kind: 'service-manager', input: { spId }, processGroup: pg, event: { type: 'process.open', pg, process: 'ticket-setup', input: { request } } };
      },
    },
  ];
}
