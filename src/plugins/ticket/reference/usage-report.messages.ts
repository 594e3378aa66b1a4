import { z } from 'zod';
import { defineMessage } from '../../../protocol/message.js';
import { ticketId } from '../model/ticket-information.js';

/** Names one usage report so the issuing system's acknowledgement (and a report sent again) refer to it. */
const reportNumber = z.string().regex(/^[a-z0-9][a-z0-9:._-]{0,127}$/, 'report number');

// 7100 [1665]: ticket issuer processor -> ticket issuing system, signed by the service provider, closed and addressed
// to the ticket issuer: the tickets of the issuer that a merchant handled since the last report.
export const usageReport = defineMessage({
  type: 'usageReport',
  ref: '7100 [1665]',
  sealed: true,
  fields: z
    .object({
      reportNumber, // Tessera: names the report (not a numbered field)
      ticketIdList: z.array(ticketId).min(1).max(10_000), // 11601
      merchantName: z.string().min(1).max(120), // 11602
      merchantId: z.string().regex(/^mer:[a-z0-9][a-z0-9._-]{0,63}$/), // 11603
      serviceProviderId: z.string().startsWith('sp:'), // 11604 (issued time 11605 in the header)
    })
    .strict(),
});

// Tessera extension: [1666] has the issuing system "perform such processing as making a payment to the merchant"; it
// acknowledges the report so the service providing system knows the report arrived.
export const usageReportAcknowledgement = defineMessage({
  type: 'usageReportAcknowledgement',
  ref: 'Tessera extension (answer to 7100, [1666])',
  sealed: true,
  fields: z.object({ reportNumber, acceptedTickets: z.number().int().nonnegative(), ticketIssuerId: z.string().startsWith('iss:ticket:') }).strict(),
});

export const USAGE_REPORT_MESSAGES = [usageReport, usageReportAcknowledgement];
