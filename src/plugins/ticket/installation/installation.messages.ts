import { z } from 'zod';
import { bytes, defineMessage } from '../../../protocol/message.js';
import { electronicTicket } from '../model/electronic-ticket.js';
import { templateCode, ticketCode } from '../model/ticket-information.js';

/** Installation card number 12301: printed on the card the issuer sold; its prefix names the issuer (card list 5229). */
export const installationCardNumber = z.string().regex(/^[A-Z0-9][A-Z0-9-]{3,39}$/, 'installation card number');
/** Installation number 12302: the secret printed under the card's scratch-off, entered by the user. */
export const installationNumber = z.string().regex(/^[A-Z0-9]{4,32}$/, 'installation number');
/** Request numbers are chosen by the terminal (32 hex digits). */
export const installationRequestNumber = z.string().regex(/^[0-9a-f]{32}$/, 'request number');
/** Transaction number 12401: chosen by the issuer, unique per transaction with a user. */
export const installationTransactionNumber = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'transaction number');
const customerNumber = z.string().min(1).max(64);
const userId = z.string().startsWith('usr:');
const issuerId = z.string().startsWith('iss:ticket:');
const spId = z.string().startsWith('sp:');
const representativeComponent = z.record(z.string(), z.string().max(200));

/** Why an installation is refused (Tessera: the spec describes only the accepted path, [1702]). */
export const INSTALLATION_REFUSALS = ['unknown-card', 'card-used', 'wrong-installation-number', 'issuer-unavailable', 'ticket-unavailable'] as const;
export type InstallationRefusal = (typeof INSTALLATION_REFUSALS)[number];

/** The standard response messages the service director sets for each refusal (as [1570] does for ticket orders). */
export const INSTALLATION_RESPONSE_MESSAGES: Readonly<Record<InstallationRefusal, string>> = {
  'unknown-card': 'This installation card is not known. Check the card number.',
  'card-used': 'This installation card has already been used.',
  'wrong-installation-number': 'The installation number does not match the card.',
  'issuer-unavailable': 'The ticket issuer cannot install tickets now. Try again later.',
  'ticket-unavailable': 'The ticket of this card can no longer be issued.',
};

// 7701 [1698]: mobile user terminal -> user processor, signed by the user, closed and addressed to the service provider.
export const electronicTicketInstallationRequest = defineMessage({
  type: 'electronicTicketInstallationRequest',
  ref: '7701 [1698]',
  sealed: true,
  fields: z
    .object({
      installationCardNumber, // 12301
      installationNumber, // 12302
      requestNumber: installationRequestNumber, // 12303
      userId, // 12304 (issued time 12305 is the header's)
    })
    .strict(),
  numbers: (message) => [{ scope: `ticketInstallation:${message.from}`, value: message.fields.requestNumber }],
});

// 7702 [1701]: ticket issuer processor -> ticket issuing system, signed by the SP, closed and addressed to the issuer.
export const ticketInstallationRequest = defineMessage({
  type: 'ticketInstallationRequest',
  ref: '7702 [1701]',
  sealed: true,
  fields: z
    .object({
      installationCardNumber, // 12311
      installationNumber, // 12312
      requestNumber: installationRequestNumber, // 12313
      customerNumber, // 12314
      serviceProviderId: spId, // 12315 (issued time 12316 is the header's)
    })
    .strict(),
});

// 7703 [1703]: ticket issuing system -> SP, signed by the issuer, closed and addressed to the service provider. The
// reply to 7702. `ticketIssuingInformation` (12402) is an issuer-signed part (installationIssuingInformationBody);
// `ticketData` (12406) is the issuer-signed ticket data of one ticket (TICKET_DATA_TYPE), as in the purchase.
export const electronicTicketInstallationCommission = defineMessage({
  type: 'electronicTicketInstallationCommission',
  ref: '7703 [1703]',
  sealed: true,
  fields: z
    .object({
      transactionNumber: installationTransactionNumber, // 12401
      ticketIssuingInformation: bytes(), // 12402
      requestNumber: installationRequestNumber, // 12403
      ticketCode, // 12404
      templateCode, // 12405
      ticketData: bytes(), // 12406
      representativeComponentInformation: representativeComponent.nullable(), // 12407
      ticketIssuerId: issuerId, // 12408 (issued time 12409 is the header's)
    })
    .strict(),
  numbers: (message) => [{ scope: `ticketInstallationTransaction:${message.from}`, value: message.fields.transactionNumber }],
});

// Tessera: the issuer's answer to 7702 when it refuses the card ([1702] describes only the accepted path). Signed by
// the issuer, closed and addressed to the service provider.
export const ticketInstallationRefusal = defineMessage({
  type: 'ticketInstallationRefusal',
  ref: 'Tessera (refusal of 7702, [1702])',
  sealed: true,
  fields: z
    .object({
      responseCode: z.enum(INSTALLATION_REFUSALS),
      requestNumber: installationRequestNumber,
      installationCardNumber,
      ticketIssuerId: issuerId,
    })
    .strict(),
});

// 7704 [1707]: user processor -> mobile user terminal, signed by the SP, closed and addressed to the user.
export const electronicTicketInstallationMessage = defineMessage({
  type: 'electronicTicketInstallationMessage',
  ref: '7704 [1707]',
  sealed: true,
  fields: z
    .object({
      transactionNumber: installationTransactionNumber, // 12418
      issuerTicketIssuingInformation: bytes(), // 12419, signed by the issuer
      ticketIssuingInformation: bytes(), // 12420, signed by the SP (spInstallationIssuingInformationBody)
      requestNumber: installationRequestNumber, // 12421
      electronicTicket, // 12422 the generated electronic ticket
      serviceProviderId: spId, // 12423 (issued time 12424 is the header's)
    })
    .strict(),
});

// Tessera: the SP's answer to 7701 when the installation is refused, modelled on the ticket order response 5804
// ([1569]-[1570]): a response code and the standard response message. Signed by the SP, closed to the user.
export const electronicTicketInstallationResponse = defineMessage({
  type: 'electronicTicketInstallationResponse',
  ref: 'Tessera (refusal of 7701, after [1570])',
  sealed: true,
  fields: z
    .object({
      responseCode: z.enum(INSTALLATION_REFUSALS),
      responseMessage: z.string().max(200),
      requestNumber: installationRequestNumber,
      serviceProviderId: spId,
    })
    .strict(),
});

/** Ticket issuing information 12402: what the issuing system did, signed by the ticket issuer ([1704]). */
export const ISSUER_INSTALLATION_INFORMATION_TYPE = 'installationIssuingInformation';
export const installationIssuingInformationBody = z
  .object({
    transactionNumber: installationTransactionNumber,
    requestNumber: installationRequestNumber,
    installationCardNumber,
    customerNumber,
    ticketId: z.string().min(1).max(96),
    ticketIssuerId: issuerId,
    issuedAt: z.number().int().nonnegative(),
  })
  .strict();
export type InstallationIssuingInformationBody = z.infer<typeof installationIssuingInformationBody>;

/** Ticket issuing information 12420: what the service providing system did, signed by the SP ([1707]). */
export const SP_INSTALLATION_INFORMATION_TYPE = 'spInstallationIssuingInformation';
export const spInstallationIssuingInformationBody = z
  .object({
    transactionNumber: installationTransactionNumber,
    requestNumber: installationRequestNumber,
    ticketId: z.string().min(1).max(96),
    certificateId: z.string(),
    userId,
    serviceProviderId: spId,
    issuedAt: z.number().int().nonnegative(),
  })
  .strict();
export type SpInstallationIssuingInformationBody = z.infer<typeof spInstallationIssuingInformationBody>;

export const INSTALLATION_MESSAGES = [
  electronicTicketInstallationRequest,
  ticketInstallationRequest,
  electronicTicketInstallationCommission,
  ticketInstallationRefusal,
  electronicTicketInstallationMessage,
  electronicTicketInstallationResponse,
];
