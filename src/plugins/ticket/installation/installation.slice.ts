import type { TicketSlice } from '../ticket-slice.js';
import { TicketInstallation1767225600801 } from './1767225600801-ticket-installation.js';
import { installationDirectorMachine } from './installation-director.machine.js';
import { InstallationCardListEntity } from './installation-card-list.entity.js';
import { INSTALLATION_MESSAGES } from './installation.messages.js';
import { installationRoutes } from './installation.routes.js';
import { GENERATE_INSTALLATION_TASK, RESOLVE_INSTALLATION_TASK, generateInstallationTask, resolveInstallationTask } from './installation.tasks.js';

/** Ticket installation [1695]-[1708]: 7701 / 7702, the installation commission 7703, the installation message 7704. */
export const installationSlice: TicketSlice = {
  process: 'ticket-installation',
  messages: INSTALLATION_MESSAGES,
  machines: [{ kind: 'director:ticket-installation', version: 1, machine: installationDirectorMachine, side: 'sp', description: 'Ticket installation [1699]-[1707]: card issuer, 7702 / 7703, generation, 7704' }],
  entities: [InstallationCardListEntity],
  migrations: [TicketInstallation1767225600801],
  wire: (services) => ({
    inboundRoutes: installationRoutes(services.spId),
    tasks: { [RESOLVE_INSTALLATION_TASK]: resolveInstallationTask(services), [GENERATE_INSTALLATION_TASK]: generateInstallationTask(services) },
  }),
};
