import type { TicketSlice } from '../ticket-slice.js';
import { COLLECT_USAGE_TASK, collectUsageTask } from './collect-usage.task.js';
import { examinationResponseHook } from './examination-response.hook.js';
import { USAGE_REPORT_MESSAGES } from './usage-report.messages.js';
import { USAGE_REPORT_KIND, usageReportDirectorMachine } from './usage-report-director.machine.js';
import { TicketUsageReports } from './usage-reports.js';

/** Ticket reference and usage report [1654]-[1666]: examination responses verified at data updates, reports 7100. */
export const referenceSlice: TicketSlice = {
  process: 'ticket-reference',
  messages: USAGE_REPORT_MESSAGES,
  machines: [{ kind: USAGE_REPORT_KIND, version: 1, machine: usageReportDirectorMachine, side: 'sp', description: 'Usage report schedule [1664]: weekly (configurable) and on demand, usage report 7100 to each issuer' }],
  wire: (services) => {
    const reports = new TicketUsageReports(services.actors, services.spId);
    return { dataUpdateHooks: [examinationResponseHook(services, () => reports.recorded())], tasks: { [COLLECT_USAGE_TASK]: collectUsageTask(services) } };
  },
};
