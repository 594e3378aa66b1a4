import type { DeviceEntity } from '../../persistence/entities/device.entity.js';
import type { VerifiedMessage } from '../../protocol/codec.js';
import type { ActorSystem } from '../../actors/actor-system.js';
import type { DataUpdateMode, DataUpdateRequested, UploadPacketReceived } from '../../actors/data-update-events.js';
import { MERCHANT_PROCESSOR_ID, USER_PROCESSOR_ID } from '../../actors/processor-events.js';
import { toBase64 } from '../../common/bytes.js';
import type { InboundRoute, RoutedEvent } from '../inbound-route.js';
import type { TerminalParty } from './data-update.messages.js';
import type { TerminalMirrorService } from './terminal-mirror.service.js';

/** The party fields must name the signer: the user of a mobile user terminal, or the device and its owner. */
function partyMismatch(fields: TerminalParty, verified: VerifiedMessage, device: DeviceEntity): string | null {
  if (device.kind === 'mobile') return 'userId' in fields && fields.userId === verified.message.from ? null : 'the user ID is not the signer';
  if (!('terminalId' in fields)) return 'a merchant device names its terminal and merchant IDs';
  if (fields.terminalId !== device.id) return `terminal ID ${fields.terminalId} is not the sending device`;
  if (fields.merchantId !== device.ownerId) return `merchant ID ${fields.merchantId} does not own ${device.id}`;
  return null;
}

/** The addressee of the SP's answers: the user for a mobile user terminal, the device otherwise. */
export const principalOf = (verified: VerifiedMessage, device: DeviceEntity): string => (device.kind === 'mobile' ? verified.message.from : device.id);

export function dataUpdateRequestEvent(spId: string, pg: string, mode: DataUpdateMode, device: DeviceEntity, principal: string, optionCode: DataUpdateRequested['optionCode'], uploadTimeoutMs: number, requestId?: string): RoutedEvent {
  const event: DataUpdateRequested = { type: 'dataUpdate.requested', pg, mode, terminalId: device.id, principal, optionCode, uploadTimeoutMs, ...(requestId === undefined ? {} : { requestId }) };
  const processor = device.kind === 'mobile' ? { actorId: USER_PROCESSOR_ID, kind: 'user-processor' } : { actorId: MERCHANT_PROCESSOR_ID, kind: 'merchant-processor' };
  return { ...processor, input: { spId }, processGroup: pg, event: { ...event } };
}

/** Routes data update / backup requests (5602, 5702, 5609, 5709) to the processors and upload packets to their session. */
export function dataUpdateRoutes(spId: string, mirror: TerminalMirrorService, actors: ActorSystem, uploadTimeoutMs: number): InboundRoute[] {
  const request = (mode: DataUpdateMode): InboundRoute['route'] =>
    async (verified, device) => {
      const mismatch = partyMismatch(verified.message.fields as TerminalParty, verified, device);
      if (mismatch !== null) return mismatch;
      if (mode === 'backup' && device.kind !== 'mobile' && device.kind !== 'merchant') return `a ${device.kind} does not back up its data ([1539], [1548])`;
      const pg = `txn:data-${mode === 'backup' ? 'backup' : 'update'}:${verified.message.id}`;
      return dataUpdateRequestEvent(spId, pg, mode, device, principalOf(verified, device), await mirror.optionCodeFor(device.id, mode), uploadTimeoutMs, verified.message.id);
    };
  return [
    { messageType: 'dataUpdateRequest', route: request('scheduled') },
    { messageType: 'dataBackupRequest', route: request('backup') },
    {
      messageType: 'uploadData',
      async route(verified, device) {
        const fields = verified.message.fields as TerminalParty & { packetNumber: number; packetCount: number; compressedData: Uint8Array };
        const mismatch = partyMismatch(fields, verified, device);
        if (mismatch !== null) return mismatch;
        const pg = verified.message.pg;
        const session = pg === undefined ? null : await actors.activeContext(pg);
        const context = session?.context as { terminalId?: string } | undefined;
        if (pg === undefined || session === null || session.kind !== 'director:data-update' || context?.terminalId !== device.id) {
          return `no open data update session ${pg ?? '(none)'} for ${device.id}`;
        }
        const event: UploadPacketReceived = { type: 'upload.packet', pg, terminalId: device.id, packetNumber: fields.packetNumber, packetCount: fields.packetCount, data: toBase64(fields.compressedData) };
        return { actorId: pg, kind: 'director:data-update', processGroup: pg, event: { ...event } };
      },
    },
  ];
}
