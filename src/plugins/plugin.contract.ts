import type { DynamicModule } from '@nestjs/common';
import type { MachineEntry } from '../actors/machine-catalog.js';
import type { InboundRoute } from '../core/inbound-route.js';
import type { DataUpdateHook } from '../core/data-update/data-update-hook.js';
import type { ClassList } from '../persistence/data-source.js';
import type { MessageDefinition } from '../protocol/message.js';

export const SERVICE_CODES = ['ticket', 'payment-card', 'phone-card'] as const;
export type ServiceCode = (typeof SERVICE_CODES)[number];

/** A terminal-side module a service installs in devices (ticket examination module, card clearing module). */
export interface TerminalModuleDescriptor {
  /** Module ID, versioned: programs are declarative data, never code carried in a message (DESIGN "Plugins"). */
  readonly moduleId: string;
  readonly version: string;
  readonly deviceKinds: readonly string[];
  readonly description: string;
}

/** The service's reference issuing system, started beside the platform and reached through @nestjs/microservices. */
export interface ReferenceIssuingSystem {
  readonly description: string;
  start(options: { readonly dataDir: string; readonly databaseUrl: string | null }): Promise<{ readonly partyId: string; readonly port: number; close(): Promise<void> }>;
}

/**
 * What a service (ticket, payment card, telephone card) gives the platform. The core knows services only through this.
 *
 * @example
 * export const ticketService: ServiceDescriptor = {
 *   code: 'ticket',
 *   description: 'Electronic tickets',
 *   messages: [ticketOrder, ticketOrderResponse],
 *   machines: [{ kind: 'director:ticket-purchase', version: 1, machine: ticketPurchaseDirector, side: 'sp', description: '...' }],
 *   inboundRoutes: [ticketOrderRoute],
 *   terminalModules: [{ moduleId: 'ticket.examination', version: '1', deviceKinds: ['gate'], description: '...' }],
 *   entities: [RegisteredTicketEntity],
 *   migrations: [Ticket0001],
 * };
 */
export interface ServiceDescriptor {
  readonly code: ServiceCode;
  readonly description: string;
  readonly messages: readonly MessageDefinition[];
  /** Director processes (`director:<process>`) and any other machines of the service. */
  readonly machines: readonly MachineEntry[];
  readonly inboundRoutes: readonly InboundRoute[];
  readonly terminalModules: readonly TerminalModuleDescriptor[];
  readonly entities: ClassList;
  readonly migrations: ClassList;
  readonly referenceIssuingSystem?: ReferenceIssuingSystem;
  /** Records the service's terminal modules add to uploads, and what it adds to update data ([1484]-[1555]). */
  readonly dataUpdateHooks?: readonly DataUpdateHook[];
}

/** A plugin: its descriptor and the Nest module that hosts its HTTP endpoints and services. */
export interface ServicePlugin {
  readonly descriptor: ServiceDescriptor;
  readonly module: DynamicModule;
}
