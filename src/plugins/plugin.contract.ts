import type { DynamicModule } from '@nestjs/common';
import type { MachineEntry } from '../actors/machine-catalog.js';
import type { InboundRoute } from '../core/inbound-route.js';
import type { DataUpdateHook } from '../core/data-update/data-update-hook.js';
import type { ClassList } from '../persistence/data-source.js';
import type { MessageDefinition } from '../protocol/message.js';
import type { Clock } from '../common/clock.js';
import type { CryptoBackend } from '../protocol/crypto/crypto-backend.js';
import type { IssuerId, SpId } from '../protocol/ids.js';
import type { TerminalModuleFactory } from '../devices/modules/terminal-module.js';
import type { DataSource } from 'typeorm';
import type { ActorSystem } from '../actors/actor-system.js';
import type { TesseraConfig } from '../config/config.schema.js';
import type { AuditLog } from '../core/audit-log.js';
import type { TaskHandler } from '../core/outbox-dispatcher.js';
import type { ExternalInboundRoute } from '../core/external-gateway.js';
import type { IdentityDirectory } from '../identity/identity-directory.js';
import type { Envelope, Signer } from '../protocol/envelope.js';

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

/** What the platform gives a reference issuing system it starts beside itself. */
export interface ReferenceIssuerContext {
  readonly dataDir: string;
  /** PostgreSQL URL when the platform runs on PostgreSQL (the issuer keeps its own tables there), else null. */
  readonly databaseUrl: string | null;
  readonly serviceProvider: { readonly id: SpId; readonly signingPublicKey: Uint8Array; readonly sealingPublicKey: Uint8Array };
  /** Where the SP takes requests the issuer starts (ExternalPartyClient address). */
  readonly serviceProviderAddress: { readonly host: string; readonly port: number };
  readonly clock: Clock;
  readonly crypto: CryptoBackend;
  readonly maxSkewMs: number;
  /** The transaction processing system clearing goes through, and the issuer's clearing account there. */
  readonly tpsId: string;
}

/** A running reference issuing system: another company's system, reached through @nestjs/microservices. */
export interface RunningIssuer {
  readonly partyId: IssuerId;
  readonly displayName: string;
  readonly host: string;
  readonly port: number;
  readonly publicKeys: { readonly signing: Uint8Array; readonly sealing: Uint8Array };
  close(): Promise<void>;
}

/** The service's reference issuing system, started beside the platform unless `external.parties` names its address. */
export interface ReferenceIssuingSystem {
  readonly partyId: IssuerId;
  readonly description: string;
  start(context: ReferenceIssuerContext): Promise<RunningIssuer>;
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
  /** The modules its devices run (a gate's ticket examination module, a mobile user terminal's ticket wallet). */
  readonly deviceModules?: readonly TerminalModuleFactory[];
  /** Called once the platform is up, before devices attach. */
  wire?(services: PluginServices): PluginWiring;
}

/** The platform's services a plugin may use once the platform is up. */
export interface PluginServices {
  readonly config: TesseraConfig;
  readonly spId: SpId;
  readonly dataSource: DataSource;
  readonly identity: IdentityDirectory;
  readonly envelope: Envelope;
  readonly crypto: CryptoBackend;
  readonly clock: Clock;
  readonly audit: AuditLog;
  readonly actors: ActorSystem;
  /** The service provider's signer: certificates and SP-signed parts (ticket certificates, receipts' information). */
  readonly spSigner: Signer;
  /** The transaction processing system clearing goes to. */
  readonly tpsId: string;
  newId(): string;
}

/** What a plugin adds once it has the platform's services: routes, tasks its directors run, data update hooks. */
export interface PluginWiring {
  readonly inboundRoutes?: readonly InboundRoute[];
  /** Named tasks (`effect.task`); each must answer the same when run again with the same key (see transactionalTask). */
  readonly tasks?: Readonly<Record<string, TaskHandler>>;
  readonly dataUpdateHooks?: readonly DataUpdateHook[];
  /** Requests external parties start (modification requests), verified by the SP's external gateway. */
  readonly externalRoutes?: readonly ExternalInboundRoute[];
  /** Stops what the wiring started (schedules); called when the platform closes. */
  close?(): Promise<void>;
}

/** A plugin: its descriptor and the Nest module that hosts its HTTP endpoints and services. */
export interface ServicePlugin {
  readonly descriptor: ServiceDescriptor;
  readonly module: DynamicModule;
}
