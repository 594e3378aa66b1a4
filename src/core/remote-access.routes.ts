import type { VerifiedMessage } from '../protocol/codec.js';
import type { DeviceEntity } from '../persistence/entities/device.entity.js';
import type { FieldsOf } from '../protocol/message.js';
import { MERCHANT_PROCESSOR_ID, USER_PROCESSOR_ID, type RemoteAccessRequested } from '../actors/processor-events.js';
import type { InboundRoute, RoutedEvent } from './inbound-route.js';
import { parseDataAddress, type merchantRemoteAccessRequest, type remoteAccessRequest } from './remote-access.messages.js';
import type { RemoteDataStore } from './remote-data-store.js';

/** Routes 5600 to the user processor and 5700 to the merchant processor, with local data looked up on the way. */
export function remoteAccessRoutes(spId: string, store: RemoteDataStore): InboundRoute[] {
  async function requested(verified: VerifiedMessage, device: DeviceEntity, dataAddress: string, requester: string, responseType: RemoteAccessRequested['responseType']): Promise<RemoteAccessRequested> {
    const { holder } = parseDataAddress(dataAddress);
    const pg = `txn:remote-access:${verified.message.id}`;
    const base = { type: 'remoteAccess.requested' as const, pg, requestId: verified.message.id, requester, terminalId: device.id, dataAddress, holder, responseType };
    if (holder !== spId) return base;
    const row = await store.get(dataAddress);
    return { ...base, local: row === null ? { found: false, contentType: '', data: '' } : { found: true, contentType: row.contentType, data: row.data } };
  }

  const toProcessor = (actorId: string, kind: string, event: RemoteAccessRequested): RoutedEvent => ({ actorId, kind, input: { spId }, processGroup: event.pg, event: { ...event } });

  return [
    {
      messageType: 'remoteAccessRequest',
      async route(verified, device) {
        const fields = verified.message.fields as FieldsOf<typeof remoteAccessRequest>;
        if (device.kind !== 'mobile') return `${device.kind} devices send merchantRemoteAccessRequest (5700), not 5600`;
        if (fields.userId !== verified.message.from) return `user ID ${fields.userId} is not the signer ${verified.message.from}`;
        return toProcessor(USER_PROCESSOR_ID, 'user-processor', await requested(verified, device, fields.dataAddress, verified.message.from, 'remoteAccessData'));
      },
    },
    {
      messageType: 'merchantRemoteAccessRequest',
      async route(verified, device) {
        const fields = verified.message.fields as FieldsOf<typeof merchantRemoteAccessRequest>;
        if (device.kind === 'mobile') return 'mobile user terminals send remoteAccessRequest (5600)';
        if (fields.terminalId !== device.id) return `terminal ID ${fields.terminalId} is not the sending device ${device.id}`;
        if (fields.merchantId !== device.ownerId) return `merchant ID ${fields.merchantId} does not own ${device.id}`;
        return toProcessor(MERCHANT_PROCESSOR_ID, 'merchant-processor', await requested(verified, device, fields.dataAddress, device.id, 'merchantRemoteAccessData'));
      },
    },
  ];
}
