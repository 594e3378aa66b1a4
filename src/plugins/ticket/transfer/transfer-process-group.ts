import { toBase64 } from '../../../common/bytes.js';
import type { ActorSystem } from '../../../actors/actor-system.js';
import { SERVICE_MANAGER_ID } from '../../../actors/processor-events.js';
import type { RoutedEvent } from '../../../core/inbound-route.js';
import type { TransferRequested } from './ticket-transfer-director.machine.js';
import { transferCertificateDigest } from './transfer.messages.js';

export const TRANSFER_PROCESS = 'ticket-transfer';

/**
 * The process group of a transfer request: one per transfer certificate and requester, whichever way it came (7411
 * or a data update), so a certificate presented again reaches the same, finished, director and changes nothing.
 */
export function transferProcessGroup(requesterId: string, certificate: Uint8Array): string {
  return `txn:${TRANSFER_PROCESS}:${transferCertificateDigest(new TextEncoder().encode(`${requesterId}\0${toBase64(certificate)}`)).slice(0, 32)}`;
}

/** Whether a director already exists for that group: the certificate was presented before. */
export async function alreadyPresented(actors: ActorSystem, pg: string): Promise<boolean> {
  return (await actors.snapshotOf(pg)) !== null;
}

/** The event that opens the process group with its service director, through the service manager ([1688]). */
export function openTransferProcess(spId: string, pg: string, request: TransferRequested): RoutedEvent {
  return { actorId: SERVICE_MANAGER_ID, kind: 'service-manager', input: { spId }, processGroup: pg, event: { type: 'process.open', pg, process: TRANSFER_PROCESS, input: { request } } };
}
