import { SERVICE_MANAGER_ID } from '../../../actors/processor-events.js';
import type { InboundRoute } from '../../../core/inbound-route.js';
import type { FieldsOf } from '../../../protocol/message.js';
import type { InstallationRequested } from './installation-director.machine.js';
import type { electronicTicketInstallationRequest } from './installation.messages.js';

/**
 * 7701 from a mobile user terminal ([1699]): the user processor's checks (a mobile user terminal, the user ID is the
 * signer), then an installation process group with its service director.
 */
export function installationRoutes(spId: string): InboundRoute[] {
  return [
    {
      messageType: 'electronicTicketInstallationRequest',
      async route(verified, device) {
        const fields = verified.message.fields as FieldsOf<typeof electronicTicketInstallationRequest>;
        if (device.kind !== 'mobile') return `only mobile user terminals install tickets, not ${device.kind} devices`;
        if (fields.userId !== verified.message.from) return `user ID ${fields.userId} is not the signer ${verified.message.from}`;
        const pg = `txn:ticket-installation:${verified.message.id}`;
        const request: InstallationRequested = {
          requestId: verified.message.id,
          userId: fields.userId,
          terminalId: device.id,
          installationCardNumber: fields.installationCardNumber,
          installationNumber: fields.installationNumber,
          requestNumber: fields.requestNumber,
        };
        return { actorId: SERVICE_MANAGER_ID, kind: 'service-manager', input: { spId }, processGroup: pg, event: { type: 'process.open', pg, process: 'ticket-installation', input: { request } } };
      },
    },
  ];
}
