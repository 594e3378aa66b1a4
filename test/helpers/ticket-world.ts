import { join } from 'node:path';
import type { Clock } from '../../src/common/clock.js';
import { TpsDatabase } from '../../src/external/transaction-processing/ledger/tps-database.js';
import { TpsReadModel } from '../../src/external/transaction-processing/tps-read-model.js';
import { DEFAULT_CATALOGUE } from '../../src/plugins/ticket/issuer/issuer-catalogue.js';
import { REFERENCE_TICKET_ISSUER_ID } from '../../src/plugins/ticket/issuer/reference-ticket-issuing-system.js';
import type { RunningTicketIssuer } from '../../src/plugins/ticket/issuer/start-reference-ticket-issuer.js';
import { startClearingBatch } from '../../src/plugins/ticket/purchase/start-clearing-batch.js';
import { TICKET_WALLET_MODULE, type TicketWallet } from '../../src/plugins/ticket/terminal/wallet/ticket-wallet.module.js';
import type { WalletTicket } from '../../src/plugins/ticket/terminal/wallet/wallet-state.js';
import { TicketPlugin } from '../../src/plugins/ticket/ticket.plugin.js';
import type { TicketPluginOptions } from '../../src/plugins/ticket/ticket.options.js';
import { TestWorld, type AttachedDevice } from './world.js';

export interface TicketWorldOptions {
  readonly clock?: Clock;
  readonly config?: Partial<Record<string, unknown>>;
  /** The ticket plugin's options (issuer catalogue and policy, card credit limits); the batch schedule is off by default. */
  readonly ticket?: TicketPluginOptions;
}

export interface BuyOptions {
  readonly count?: number;
  /** Defaults to the catalogue's date of the ticket code. */
  readonly date?: string;
  readonly paymentServiceCode?: string;
}

/**
 * A TestWorld with the ticket plugin, its reference ticket issuing system and the reference TPS started beside the
 * platform, plus the steps other ticket tests need: a user's wallet, `buyTicket` (order + purchase through the real
 * processes), the delayed clearing batch, and read models of the issuer and the TPS ledger.
 *
 * @example
 * const tickets = await TicketWorld.create();
 * const alice = await tickets.world.user('alice');
 * const ticket = await tickets.buyTicket(alice, 'concert-2027');
 */
export class TicketWorld {
  private constructor(readonly world: TestWorld) {}

  static async create(options: TicketWorldOptions = {}): Promise<TicketWorld> {
    const plugin = TicketPlugin.init({ clearingBatchIntervalMs: 0, ...options.ticket });
    const world = await TestWorld.create({ ...(options.clock === undefined ? {} : { clock: options.clock }), ...(options.config === undefined ? {} : { config: options.config }), plugins: [plugin] });
    return new TicketWorld(world);
  }

  /** The reference ticket issuing system (Acme Tickets). */
  get issuer(): RunningTicketIssuer {
    const issuer = this.world.platform.referenceIssuers.find((running) => running.partyId === REFERENCE_TICKET_ISSUER_ID);
    if (issuer === undefined) throw new Error('the reference ticket issuing system is not running');
    return issuer as RunningTicketIssuer;
  }

  wallet(user: AttachedDevice): TicketWallet {
    return user.runtime.module<TicketWallet>(TICKET_WALLET_MODULE);
  }

  /** Orders and buys tickets of a ticket code; resolves with the tickets as they are in the wallet. */
  async buyTickets(user: AttachedDevice, ticketCode: string, options: BuyOptions = {}): Promise<WalletTicket[]> {
    const wallet = this.wallet(user);
    const date = options.date ?? DEFAULT_CATALOGUE.find((event) => event.ticketCode === ticketCode)?.date;
    if (date === undefined) throw new Error(`no date for ${ticketCode}: pass one`);
    const order = await wallet.ordering.order({ issuer: REFERENCE_TICKET_ISSUER_ID, ticketCode, date, count: options.count ?? 1 });
    if (order.responseCode !== 'ticket-available' || order.offerNumber === null) throw new Error(`ticket order for ${ticketCode}: ${order.responseCode}`);
    const purchase = await wallet.purchasing.purchase({ offerNumber: order.offerNumber, paymentServiceCode: options.paymentServiceCode ?? 'visa' });
    if (purchase.outcome !== 'issued') throw new Error(`ticket purchase of ${ticketCode}: ${purchase.responseCode}`);
    return purchase.ticketIds.map((ticketId) => {
      const ticket = wallet.state.tickets.find((candidate) => candidate.ticketId === ticketId);
      if (ticket === undefined) throw new Error(`ticket ${ticketId} is not in the wallet`);
      return ticket;
    });
  }

  /** One ticket of a ticket code, bought through the real order and purchase processes. */
  async buyTicket(user: AttachedDevice, ticketCode: string, options: Omit<BuyOptions, 'count'> = {}): Promise<WalletTicket> {
    const [ticket] = await this.buyTickets(user, ticketCode, { ...options, count: 1 });
    if (ticket === undefined) throw new Error(`no ticket of ${ticketCode} issued`);
    return ticket;
  }

  /** Starts a delayed clearing batch now (what the daily schedule does); returns its process group. */
  async runClearingBatch(): Promise<string> {
    const { platform } = this.world;
    if (platform.tpsId === undefined) throw new Error('no transaction processing system');
    return startClearingBatch(platform.actors, { spId: platform.spId, tpsId: platform.tpsId }, platform.codec.newMessageId());
  }

  /** The reference TPS's ledger, read directly from its database (close it after use). */
  async tpsLedger(): Promise<{ readModel: TpsReadModel; close(): Promise<void> }> {
    const { config } = this.world.platform;
    const db = await TpsDatabase.open(config.database.url === null ? { type: 'sqlite', database: join(config.dataDir, 'tps.sqlite') } : { type: 'postgres', url: config.database.url });
    return { readModel: new TpsReadModel(db), close: () => db.close() };
  }

  async close(): Promise<void> {
    await this.world.close();
  }
}
