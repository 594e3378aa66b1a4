import type { TicketSlice } from '../ticket-slice.js';
import { TicketModification1767225600901 } from './1767225600901-ticket-modification.js';
import { examinationProgramHook } from './examination-program.hook.js';
import { modificationDirectorMachine } from './modification-director.machine.js';
import { MODIFICATION_MESSAGES } from './modification.messages.js';
import { modificationExternalRoutes, reactionRoutes } from './modification.routes.js';
import { PLAN_MODIFICATION_TASK, planModificationTask } from './plan-modification.task.js';
import { ACCEPT_MODIFICATION_TASK, REFUSE_MODIFICATION_TASK, acceptModificationTask, refuseModificationTask } from './react-to-modification.task.js';
import { TicketIssuedDataEntity } from './ticket-issued-data.entity.js';
import { TicketModificationEntity } from './ticket-modification.entity.js';

/** Ticket modification [1709]-[1731]: 8000 / 8100 from the issuer, the gates' new program, 8101, 8104, 8105. */
export const modificationSlice: TicketSlice = {
  process: 'ticket-modification',
  messages: MODIFICATION_MESSAGES,
  machines: [{ kind: 'director:ticket-modification', version: 1, machine: modificationDirectorMachine, side: 'sp', description: 'Ticket modification [1717]-[1731]: gates by forcible update, notices 8101, reactions 8104, instructions 8105' }],
  entities: [TicketModificationEntity, TicketIssuedDataEntity],
  migrations: [TicketModification1767225600901],
  wire: (services) => ({
    externalRoutes: modificationExternalRoutes(services.spId),
    inboundRoutes: reactionRoutes(services.actors),
    dataUpdateHooks: [examinationProgramHook(services.dataSource)],
    tasks: {
      [PLAN_MODIFICATION_TASK]: planModificationTask(services),
      [ACCEPT_MODIFICATION_TASK]: acceptModificationTask(services),
      [REFUSE_MODIFICATION_TASK]: refuseModificationTask(services),
    },
  }),
};
