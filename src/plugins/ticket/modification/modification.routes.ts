import { toBase64 } from '../../../common/bytes.js';
import type { ActorSystem } from '../../../actors/actor-system.js';
import { SERVICE_MANAGER_ID } from '../../../actors/processor-events.js';
import type { ExternalInboundRoute } from '../../../core/external-gateway.js';
import type { InboundRoute } from '../../../core/inbound-route.js';
import { encodeCanonical } from '../../../protocol/cbor.js';
import type { FieldsOf } from '../../../protocol/message.js';
import type { ModificationRequested, ReactionSelected } from './modification-director.machine.js';
import type { modificationRequest, reactionSelection } from './modification.messages.js';

const DIRECTOR_KIND = 'director:ticket-modification';

/**
 * 8000 / 8100 from a ticket issuing system, through the SP's external gateway (which has opened it, checked the
 * issuer's signature, freshness and the modification number's novelty): the issuer must name itself, then a
 * modification process group with its service director.
 */
export function modificationExternalRoutes(spId: string): ExternalInboundRoute[] {
  return [
    {
      messageType: 'modificationRequest',
      async route(verified) {
        const fields = verified.message.fields as FieldsOf<typeof modificationRequest>;
        if (fields.ticketIssuerId !== verified.message.from) return `ticket issuer ID ${fields.ticketIssuerId} is not the signer ${verified.message.from}`;
        const pg = `txn:ticket-modification:${verified.message.id}`;
        const modification: ModificationRequested = { requestId: verified.message.id, issuerId: verified.message.from, request: toBase64(encodeCanonical(fields)) };
        return { actorId: SERVICE_MANAGER_ID, kind: 'service-manager', input: { spId }, processGroup: pg, event: { type: 'process.open', pg, process: 'ticket-modification', input: { modification } } };
      },
    },
  ];
}

/**
 * 8104 from a mobile user terminal ([1728]): the user processor's checks (a mobile user terminal, the user is the
 * signer), then the modification's director, named by the notice's process group: it must still be waiting, and for
 * this user's reaction on this ticket.
 */
export function reactionRoutes(actors: ActorSystem): InboundRoute[] {
  return [
    {
      messageType: 'reactionSelection',
      async route(verified, device) {
        const fields = verified.message.fields as FieldsOf<typeof reactionSelection>;
        if (device.kind !== 'mobile') return `only mobile user terminals react to modifications, not ${device.kind} devices`;
        if (fields.userId !== verified.message.from) return `user ID ${fields.userId} is not the signer ${verified.message.from}`;
        const pg = verified.message.pg;
        const director = pg === undefined ? null : await actors.activeContext(pg);
        const context = director?.context as { plan?: { modificationNumber?: string } | null; holders?: Record<string, { userId: string; state: string }> } | undefined;
        if (pg === undefined || director === null || director.kind !== DIRECTOR_KIND) return `no open modification ${pg ?? '(none)'}`;
        if (context?.plan?.modificationNumber !== fields.modificationNumber) return `modification ${fields.modificationNumber} is not ${pg}'s`;
        const holder = context.holders?.[fields.ticketId];
        if (holder?.userId !== fields.userId) return `ticket ${fields.ticketId} of ${fields.userId} is not modified by ${pg}`;
        if (holder.state !== 'notified') return `the reaction for ticket ${fields.ticketId} was already taken (${holder.state})`;
        const event: ReactionSelected = { type: 'modification.reaction', pg, requestId: verified.message.id, ticketId: fields.ticketId, userId: fields.userId, reactionCode: fields.reactionCode, requestNumber: fields.requestNumber };
        return { actorId: pg, kind: DIRECTOR_KIND, processGroup: pg, event: { ...event } };
      },
    },
  ];
}
