import type { FieldsOf } from '../../../../protocol/message.js';
import { signPart } from '../../../../protocol/signed-part.js';
import { signTicketData } from '../../generation/sign-ticket-data.js';
import {
  ISSUER_INSTALLATION_INFORMATION_TYPE,
  electronicTicketInstallationCommission,
  ticketInstallationRefusal,
  type InstallationRefusal,
  type ticketInstallationRequest,
} from '../../installation/installation.messages.js';
import { TisEvent, TisInstallationCard, TisIssuedTicket, TisUnit } from '../entities/index.js';
import { installationNumberDigest } from '../installation-cards.js';
import type { IssuerContext } from '../issuer-context.js';
import { customerOf } from './customer-table.js';
import type { IssuerAnswer, IssuerHandler } from './issuer-answer.js';

type InstallationRequest = FieldsOf<typeof ticketInstallationRequest>;

/** Wrong installation numbers a card takes before it is blocked (a guessed number must not install a ticket). */
const MAX_FAILED_ATTEMPTS = 5;

function refusal(context: IssuerContext, request: InstallationRequest, responseCode: InstallationRefusal): IssuerAnswer {
  return { definition: ticketInstallationRefusal, fields: { responseCode, requestNumber: request.requestNumber, installationCardNumber: request.installationCardNumber, ticketIssuerId: context.id } };
}

/**
 * Ticket installation request 7702 -> electronic ticket installation commission 7703 [1702]-[1705]: the card and its
 * installation number are compared with the installation cards the issuer sold; an unknown card, a used one, or a
 * wrong number is refused. A good card becomes used, a unit of its event is sold to the customer, and the ticket's
 * data is signed, with the ticket issuing information 12402.
 */
export const handleTicketInstallation: IssuerHandler<InstallationRequest> = async (context, em, request) => {
  const now = context.clock.now();
  const cards = em.getRepository(TisInstallationCard);
  const card = await cards.findOneBy({ cardNumber: request.installationCardNumber });
  if (card === null) return refusal(context, request, 'unknown-card');
  if (card.status === 'used' || card.failedAttempts >= MAX_FAILED_ATTEMPTS) return refusal(context, request, 'card-used');
  if (installationNumberDigest(context.crypto, card.cardNumber, request.installationNumber) !== card.installationNumberDigest) {
    await cards.increment({ cardNumber: card.cardNumber }, 'failedAttempts', 1);
    return refusal(context, request, 'wrong-installation-number');
  }
  const event = await em.getRepository(TisEvent).findOneBy({ ticketCode: card.ticketCode });
  const unit = await em.getRepository(TisUnit).findOne({ where: { ticketCode: card.ticketCode, status: 'free' }, order: { position: 'ASC' } });
  if (event === null || unit === null) return refusal(context, request, 'ticket-unavailable');
  await customerOf(em, request.customerNumber, now);
  const transactionNumber = context.newNumber('i');
  const ticketId = context.newNumber(`${event.ticketCode}-`).toLowerCase();
  await em.getRepository(TisUnit).update({ ticketCode: unit.ticketCode, unit: unit.unit }, { status: 'sold', holder: transactionNumber, heldUntil: null });
  await em.getRepository(TisIssuedTicket).insert({ ticketId, transactionNumber, ticketCode: event.ticketCode, customerNumber: request.customerNumber, unit: unit.unit, status: 'issued', issuedAt: now });
  await cards.update({ cardNumber: card.cardNumber }, { status: 'used', customerNumber: request.customerNumber, ticketId, transactionNumber, usedAt: now });
  const ticketData = signTicketData(context.envelope, context.signer, {
    ticketId,
    ticketCode: event.ticketCode,
    issuerId: context.id,
    information: { title: event.title, date: event.date, location: event.location, seatClass: event.seatClass, seat: event.seated ? unit.unit : null, sponsor: event.sponsor, transferable: event.transferable, coupons: event.coupons },
  });
  const information = { transactionNumber, requestNumber: request.requestNumber, installationCardNumber: card.cardNumber, customerNumber: request.customerNumber, ticketId, ticketIssuerId: context.id, issuedAt: now };
  return {
    definition: electronicTicketInstallationCommission,
    fields: {
      transactionNumber,
      ticketIssuingInformation: signPart(context.envelope, ISSUER_INSTALLATION_INFORMATION_TYPE, information, [context.signer]),
      requestNumber: request.requestNumber,
      ticketCode: event.ticketCode,
      templateCode: event.templateCode,
      ticketData,
      representativeComponentInformation: null,
      ticketIssuerId: context.id,
    },
  };
};
