import type { ActorSystem } from '../../../actors/actor-system.js';
import { toBase64 } from '../../../common/bytes.js';
import type { InboundRoute } from '../../../core/inbound-route.js';
import type { FieldsOf } from '../../../protocol/message.js';
import { alreadyPresented, openTransferProcess, transferProcessGroup } from './transfer-process-group.js';
import { ticketTransferRequest } from './transfer.messages.js';

/**
 * 7411 from user B's terminal ([1688]): the user processor's checks (a mobile user terminal, its user names itself),
 * then a ticket transfer process group. Everything about the ticket is the director's check.
 */
export function transferRoutes(spId: string, actors: ActorSystem): InboundRoute[] {
  return [
    {
      messageType: ticketTransferRequest.type,
      async route(verified, device) {
        const fields = verified.message.fields as FieldsOf<typeof ticketTransferRequest>;
        if (device.kind !== 'mobile') return `only mobile user terminals ask for a ticket transfer, not ${device.kind} devices`;
        if (fields.userId !== verified.message.from) return `user ID ${fields.userId} is not the signer ${verified.message.from}`;
        const pg = transferProcessGroup(fields.userId, fields.ticketTransferCertificate);
        if (await alreadyPresented(actors, pg)) return 'this ticket transfer certificate was already presented';
        return openTransferProcess(spId, pg, { requesterId: fields.userId, terminalId: device.id, requestId: verified.message.id, requestedVia: 'request', transferCertificate: toBase64(fields.ticketTransferCertificate) });
      },
    },
  ];
}
