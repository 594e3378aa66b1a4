import { Module, type DynamicModule } from '@nestjs/common';
import type { ServicePlugin } from '../plugin.contract.js';
import { TICKET_OPTIONS, type TicketPluginOptions } from './ticket.options.js';
import { ticketService } from './ticket.service.js';

/**
 * Electronic ticket service [1556]-[1766]: order, purchase, registration, gate setup, examination, reference, transfer, installation, modification, refund.
 * Registered with the core; its processes arrive in their own issues (see ticketService.terminalModules).
 */
@Module({})
export class TicketPlugin {
  static init(options: TicketPluginOptions): ServicePlugin {
    const module: DynamicModule = { module: TicketPlugin, providers: [{ provide: TICKET_OPTIONS, useValue: options }], exports: [TICKET_OPTIONS] };
    return { descriptor: ticketService, module };
  }
}
