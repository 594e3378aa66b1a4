import { Module, type DynamicModule } from '@nestjs/common';
import type { PluginServices, ServicePlugin } from '../plugin.contract.js';
import { TICKET_OPTIONS, type TicketPluginOptions } from './ticket.options.js';
import { TICKET_SLICES, ticketService } from './ticket.service.js';
import { wireSlices } from './ticket-slice.js';
import { referenceTicketIssuingSystem } from './issuer/reference-ticket-issuing-system.js';
import { TicketMerchantListController, TicketOperatorGuard } from './setup/merchant-list.controller.js';

/**
 * Electronic ticket service [1556]-[1766]: order, purchase, registration, gate setup, examination, reference, transfer,
 * installation, modification, refund. The module hosts the operator's merchant-list endpoints; the descriptor carries
 * the processes (one slice per process), the terminal-side modules and the reference ticket issuing system.
 */
@Module({})
export class TicketPlugin {
  static init(options: TicketPluginOptions): ServicePlugin {
    const module: DynamicModule = { module: TicketPlugin, controllers: [TicketMerchantListController], providers: [{ provide: TICKET_OPTIONS, useValue: options }, TicketOperatorGuard], exports: [TICKET_OPTIONS] };
    // The options reach the slices' wiring and the reference issuing system; the descriptor is otherwise the same.
    const descriptor = { ...ticketService, referenceIssuingSystem: referenceTicketIssuingSystem(options.referenceIssuer), wire: (services: PluginServices) => wireSlices(TICKET_SLICES, services, options) };
    return { descriptor, module };
  }
}
