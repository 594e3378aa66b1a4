import { z } from 'zod';
import type { ActorSystem } from '../../../actors/actor-system.js';
import type { AuditLog } from '../../../core/audit-log.js';
import type { DataUpdateHook, HookContext } from '../../../core/data-update/data-update-hook.js';
import { fromBase64 } from '../../../common/bytes.js';
import type { TransferRequested } from './ticket-transfer-director.machine.js';
import { alreadyPresented, openTransferProcess, transferProcessGroup } from './transfer-process-group.js';
import { DEFERRED_TRANSFER_RECORD } from './transfer.messages.js';

/** The record user B's terminal adds when the transfer request waits for the next data update ([1685]). */
export const deferredTransferRecord = z
  .object({
    ticketTransferCertificate: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/).max(16_384),
    userId: z.string().startsWith('usr:'),
  })
  .strict();

/**
 * [1685]: "cancel" defers the transfer request to the data updating process. The request travels as a record of the
 * upload (signed by the user and sealed to the SP with it: the same protection as a 7411), and the SP opens the same
 * ticket transfer process group as for a 7411 once the whole upload is accepted. The ticket transfer 7412 follows as a
 * downlink in that session.
 */
export function deferredTransferHook(spId: string, actors: ActorSystem, audit: AuditLog): DataUpdateHook {
  // Requests found in an upload, opened only when every record of that upload was accepted (contribute runs then).
  const pending = new WeakMap<HookContext, { pg: string; request: TransferRequested }[]>();
  return {
    recordKinds: [DEFERRED_TRANSFER_RECORD],
    async verifyRecord(record, context) {
      const parsed = deferredTransferRecord.safeParse(record.payload);
      if (!parsed.success) return { accepted: false, reason: 'deferred transfer request does not match its schema' };
      if (context.deviceKind !== 'mobile' || parsed.data.userId !== context.ownerId) return { accepted: false, reason: `deferred transfer request for ${parsed.data.userId} from ${context.deviceId}` };
      const certificate = fromBase64(parsed.data.ticketTransferCertificate);
      const pg = transferProcessGroup(parsed.data.userId, certificate);
      if (await alreadyPresented(actors, pg)) {
        // Taken in (the terminal drops it), but the transfer it asks for was handled already: nothing changes.
        await audit.record({ category: 'refusal', reason: 'replay', principal: parsed.data.userId, transport: context.deviceId, message: `deferred transfer request ${record.id}: certificate already presented`, detail: { pg } });
        return { accepted: true, changes: [] };
      }
      const request: TransferRequested = { requesterId: parsed.data.userId, terminalId: context.deviceId, requestId: null, requestedVia: 'data-update', transferCertificate: parsed.data.ticketTransferCertificate };
      const found = pending.get(context) ?? [];
      if (!found.some((entry) => entry.pg === pg)) pending.set(context, [...found, { pg, request }]);
      return { accepted: true, changes: [] };
    },
    async contribute(context) {
      for (const { pg, request } of pending.get(context) ?? []) {
        const open = openTransferProcess(spId, pg, request);
        await actors.send(open.actorId, open.event, {}, { kind: open.kind, input: open.input, processGroup: pg });
      }
      pending.delete(context);
      return [];
    },
  };
}
