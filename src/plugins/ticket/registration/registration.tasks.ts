import type { EntityManager } from 'typeorm';
import { toBase64 } from '../../../common/bytes.js';
import { transactionalTask } from '../../../core/transactional-task.js';
import type { PluginServices } from '../../plugin.contract.js';
import { certifyNewTicketKey } from '../generation/ticket-certificate-issuer.js';
import { RegisteredTicketEntity } from '../persistence/registered-ticket.entity.js';
import { TicketManagementEntity } from '../persistence/ticket-management.entity.js';
import { ticketStatus } from '../model/ticket-status.js';
import { pack } from '../purchase/director-kit.js';

export const REGISTER_TICKET_TASK = 'ticket.registration.register';

export interface RegistrationInput {
  readonly pg: string;
  readonly ticketId: string;
  readonly userId: string;
}

export type RegistrationResult = { readonly outcome: 'registered'; readonly message: string } | { readonly outcome: 'refused'; readonly reason: string };

/**
 * [1625]: the ticket must be in the user's ticket list 4610 (issued to this user, not yet registered); it enters the
 * registered ticket list 5303 with a new ticket signature key pair and a registered ticket certificate.
 */
export function registrationTasks(services: PluginServices): Record<string, (input: unknown, key: string) => Promise<unknown>> {
  const deps = { envelope: services.envelope, crypto: services.crypto, spSigner: services.spSigner };
  async function register(input: RegistrationInput, em: EntityManager): Promise<RegistrationResult> {
    const row = await em.getRepository(RegisteredTicketEntity).findOneBy({ ticketId: input.ticketId });
    if (row === null || row.userId !== input.userId || row.lifecycle !== 'issued') return { outcome: 'refused', reason: `ticket ${input.ticketId} is not in the ticket list of ${input.userId}` };
    const management = await em.getRepository(TicketManagementEntity).findOneBy({ ticketCode: row.ticketCode });
    const now = services.clock.now();
    const key = certifyNewTicketKey(deps, { ticketId: row.ticketId, ticketCode: row.ticketCode, holder: input.userId, registered: true, validFrom: now, validUntil: management?.validUntil ?? now, now });
    const status = ticketStatus.parse(row.status);
    Object.assign(row, { lifecycle: 'registered', certificateId: key.body.certificateId, certificate: toBase64(key.certificate), signingPublicKey: toBase64(key.signingPublicKey), status: { ...status, registration: 'registered' }, updatedAt: now });
    await em.getRepository(RegisteredTicketEntity).save(row);
    const message = { ticketId: row.ticketId, ticketSigningPrivateKey: key.signingSecretKey, registeredTicketCertificate: key.certificate, serviceProviderId: services.spId };
    return { outcome: 'registered', message: pack(message) };
  }
  return { [REGISTER_TICKET_TASK]: transactionalTask<RegistrationInput, RegistrationResult>(services.dataSource, services.clock, register) };
}
