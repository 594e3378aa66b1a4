import type { Envelope, Signer } from '../../../protocol/envelope.js';
import { signPart } from '../../../protocol/signed-part.js';
import { TICKET_DATA_TYPE, ticketDataBody, type TicketDataBody } from '../model/ticket-information.js';

/** The issuer's side of [1584]: one ticket's ticket data 9208, signed by the ticket issuer (a test fixture uses it too). */
export function signTicketData(envelope: Envelope, issuer: Signer, body: TicketDataBody): Uint8Array {
  return signPart(envelope, TICKET_DATA_TYPE, ticketDataBody.parse(body), [issuer]);
}
