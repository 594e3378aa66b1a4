import { z } from 'zod';
import type { DataItem } from '../../../core/data-update/terminal-image.js';

/** Service data keys of the gate's authorization report list 2511 ([1663]): one entry per examination response. */
export const AUTHORIZATION_REPORT_PREFIX = 'ticket.authorizationReport:';

/** A ticket reference result as the update data carries it to the gate ([1661]). */
export const authorizationReport = z
  .object({
    transactionNumber: z.number().int().positive(),
    ticketId: z.string(),
    ticketExaminationNumber: z.number().int().nonnegative(),
    result: z.enum(['accepted', 'refused']),
    reason: z.string().nullable(),
    referencedAt: z.number().int().nonnegative(),
  })
  .strict();
export type AuthorizationReport = z.infer<typeof authorizationReport>;

export const authorizationReportKey = (transactionNumber: number): string => `${AUTHORIZATION_REPORT_PREFIX}${transactionNumber}`;

/** The reports in a terminal's service data area, oldest first; entries that do not parse are skipped. */
export function authorizationReports(serviceData: Readonly<Record<string, DataItem>>): AuthorizationReport[] {
  const reports: AuthorizationReport[] = [];
  for (const [key, item] of Object.entries(serviceData)) {
    if (!key.startsWith(AUTHORIZATION_REPORT_PREFIX)) continue;
    const parsed = authorizationReport.safeParse(item.value);
    if (parsed.success) reports.push(parsed.data);
  }
  return reports.sort((a, b) => a.referencedAt - b.referencedAt || a.transactionNumber - b.transactionNumber);
}
