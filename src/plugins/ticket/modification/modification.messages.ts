import { z } from 'zod';
import { bytes, defineMessage } from '../../../protocol/message.js';
import { electronicTicket } from '../model/electronic-ticket.js';
import { templateCode, ticketCode, ticketId } from '../model/ticket-information.js';

/** Modification number 12901: chosen by the issuing system, unique per modification. */
export const modificationNumber = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'modification number');
/** Request numbers chosen by the terminal (32 hex digits). */
const requestNumber = z.string().regex(/^[0-9a-f]{32}$/, 'request number');
const userId = z.string().startsWith('usr:');
const issuerId = z.string().startsWith('iss:ticket:');
const spId = z.string().startsWith('sp:');

/**
 * Modification code 12902 ([1713]): the electronic ticket information 1917, the representative component information
 * 1932, the template program, or a modification accompanied by the ticket refund processing.
 */
export const MODIFICATION_CODES = ['ticket-information', 'representative-component', 'template', 'with-refund'] as const;
export type ModificationCode = (typeof MODIFICATION_CODES)[number];

/** Reaction code 13002 ([1725]-[1726]): what the user selects in answer to the modification notice. */
export const REACTION_CODES = ['accept', 'refuse', 'refund'] as const;
export type ReactionCode = (typeof REACTION_CODES)[number];

/** Bound on the tickets one modification request names (ticket count 12907). */
export const MAX_MODIFIED_TICKETS = 500;

/** The modification message 12904 ([1714]): the contents of the modification, signed by the ticket issuer. */
export const MODIFICATION_MESSAGE_TYPE = 'ticketModificationMessage';
export const modificationMessageBody = z
  .object({
    modificationNumber,
    ticketCode,
    text: z.string().min(1).max(500),
    ticketIssuerId: issuerId,
  })
  .strict();
export type ModificationMessageBody = z.infer<typeof modificationMessageBody>;

// 8000 / 8100 [1712]: ticket issuing system -> SP on the issuer's initiative (through the external gateway), signed
// by the issuer, closed and addressed to the service provider. 8000 reaches the gates' examination program, 8100 the
// users' tickets: one structure ([1712]), one type. `modifiedTicketData` holds issuer-signed ticket data (one per
// ticket, TICKET_DATA_TYPE), empty when the ticket information does not change ([1715]).
export const modificationRequest = defineMessage({
  type: 'modificationRequest',
  ref: '8000, 8100 [1712]',
  sealed: true,
  fields: z
    .object({
      modificationNumber, // 12901
      modificationCode: z.enum(MODIFICATION_CODES), // 12902
      modificationTimeLimit: z.number().int().nonnegative(), // 12903
      modificationMessage: bytes(), // 12904, issuer-signed modificationMessageBody
      ticketCode, // 12905
      templateCode, // 12906
      ticketCount: z.number().int().min(0).max(MAX_MODIFIED_TICKETS), // 12907
      modifiedTicketData: z.array(bytes()).max(MAX_MODIFIED_TICKETS), // 12908
      modifiedRepresentativeComponentInformation: z.record(z.string(), z.string().max(200)).nullable(), // 12909
      ticketIssuerId: issuerId, // 12910 (issued time 12911 is the header's)
    })
    .strict()
    .refine((fields) => fields.modifiedTicketData.length === 0 || fields.modifiedTicketData.length === fields.ticketCount, 'ticket count must match the modified ticket data'),
  numbers: (message) => [{ scope: `ticketModification:${message.from}`, value: message.fields.modificationNumber }],
});

// 8101 [1724]: user processor -> mobile user terminal, signed by the SP, closed and addressed to the user.
export const modificationNotice = defineMessage({
  type: 'modificationNotice',
  ref: '8101 [1724]',
  sealed: true,
  fields: z
    .object({
      modificationNumber, // 12921
      modificationCode: z.enum(MODIFICATION_CODES), // 12922
      ticketId, // 12923
      modificationMessage: bytes(), // 12924, the issuer-signed modification message
      replyTimeLimit: z.number().int().nonnegative(), // 12925
      serviceProviderId: spId, // 12926 (issued time 12927 is the header's)
    })
    .strict(),
});

// 8104 [1727]: mobile user terminal -> SP, signed by the user, closed and addressed to the service provider. The
// spec's list skips numeral 13003; the modification instruction 8105 carries a request number 13013, so 13003 is read
// as the terminal's request number for this reaction.
export const reactionSelection = defineMessage({
  type: 'reactionSelection',
  ref: '8104 [1727]',
  sealed: true,
  fields: z
    .object({
      modificationNumber, // 13001
      reactionCode: z.enum(REACTION_CODES), // 13002
      requestNumber, // 13003 (see above)
      ticketId, // 13004
      userId, // 13005 (issued time 13006 is the header's)
    })
    .strict(),
  numbers: (message) => [{ scope: `ticketReaction:${message.from}`, value: message.fields.requestNumber }],
});

// 8105 [1730]: user processor -> mobile user terminal, signed by the SP, closed and addressed to the user.
export const modificationInstruction = defineMessage({
  type: 'modificationInstruction',
  ref: '8105 [1730]',
  sealed: true,
  fields: z
    .object({
      modificationNumber, // 13012
      requestNumber, // 13013
      newElectronicTicket: electronicTicket, // 13014
      serviceProviderId: spId, // 13015 (issued time 13016 is the header's)
    })
    .strict(),
});

export const MODIFICATION_MESSAGES = [modificationRequest, modificationNotice, reactionSelection, modificationInstruction];
