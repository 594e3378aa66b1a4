import { z } from 'zod';
import { bytes, defineMessage } from '../../../protocol/message.js';
import { ticketId } from '../model/ticket-information.js';

const userId = z.string().regex(/^usr:[a-z0-9][a-z0-9._-]{0,63}$/, 'user ID');

// 6501 [1624]: mobile user terminal -> SP, signed by the user, closed and addressed to the SP.
export const ticketRegistrationRequest = defineMessage({
  type: 'ticketRegistrationRequest',
  ref: '6501 [1624]',
  sealed: true,
  fields: z.object({ ticketId, userId }).strict(), // ticket ID 10601, user ID 10602
});

// 6502 [1626]: SP -> mobile user terminal, signed by the SP, closed and addressed to the user.
export const ticketCertificateIssuing = defineMessage({
  type: 'ticketCertificateIssuing',
  ref: '6502 [1626]',
  sealed: true,
  fields: z
    .object({
      ticketId, // which ticket the new key is for (the spec's message names it through the certificate)
      ticketSigningPrivateKey: bytes(32), // 10609
      registeredTicketCertificate: bytes(), // 10610
      serviceProviderId: z.string().startsWith('sp:'), // 10611
    })
    .strict(),
});

export const REGISTRATION_MESSAGES = [ticketRegistrationRequest, ticketCertificateIssuing];
