import { In } from 'typeorm';
import type { FieldsOf } from '../../../../protocol/message.js';
import { usageReportAcknowledgement, type usageReport } from '../../reference/usage-report.messages.js';
import { TisIssuedTicket } from '../entities/index.js';
import type { IssuerHandler } from './issuer-answer.js';

type UsageReport = FieldsOf<typeof usageReport>;

/**
 * A usage report 7100 ([1666]): the issuing system takes note of the tickets a merchant handled (the basis of its
 * payment to the merchant) and acknowledges the report; `acceptedTickets` counts the reported tickets it issued.
 * The frame handler keys the answer by the report number, so a report sent again is acknowledged the same way.
 */
export const handleUsageReport: IssuerHandler<UsageReport> = async (context, em, report) => {
  const issued = await em.getRepository(TisIssuedTicket).countBy({ ticketId: In([...report.ticketIdList]) });
  return { definition: usageReportAcknowledgement, fields: { reportNumber: report.reportNumber, acceptedTickets: issued, ticketIssuerId: context.id } };
};
