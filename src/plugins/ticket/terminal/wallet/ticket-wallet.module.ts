import { ModuleStore } from '../../../../devices/modules/module-store.js';
import type { TerminalModule, TerminalModuleFactory, TerminalModuleHost } from '../../../../devices/modules/terminal-module.js';
import { ProtocolError } from '../../../../protocol/errors.js';
import type { Message, MessageDefinition } from '../../../../protocol/message.js';
import { TicketPresenting } from './ticket-presenting.js';
import { TicketTransferring } from './ticket-transferring.js';
import type { WalletContext, WalletProcess } from './wallet-process.js';
import { TicketOrdering } from './ticket-ordering.js';
import { TicketPurchasing } from './ticket-purchasing.js';
import { TicketRegistering } from './ticket-registering.js';
import { TicketInstalling } from './ticket-installing.js';
import { TicketModifying } from './ticket-modifying.js';
import { TicketRefunding } from './ticket-refunding.js';
import { initialWalletState, walletState, type WalletState } from './wallet-state.js';

export const TICKET_WALLET_MODULE = 'ticket.wallet';

/**
 * The mobile user terminal's ticket module: the ticket list 1712 and use list 1715, and one process object per ticket
 * process of the terminal's side. Verified downlinks go to the process that takes their type.
 */
export class TicketWallet implements TerminalModule {
  readonly moduleId = TICKET_WALLET_MODULE;
  readonly messageTypes: readonly string[];
  readonly context: WalletContext;
  private readonly byType = new Map<string, WalletProcess>();
  private readonly processes: readonly WalletProcess[];

  constructor(host: TerminalModuleHost) {
    const store = new ModuleStore<WalletState>(host.stateFile(TICKET_WALLET_MODULE), initialWalletState, (raw) => walletState.parse(raw));
    this.context = { host, store };
    this.processes = this.createProcesses();
    for (const process of this.processes) for (const type of process.messageTypes) this.byType.set(type, process);
    this.messageTypes = [...this.byType.keys()];
  }

  /** Ticket transfer [1667]-[1694]: offer, accept / refuse, request the transfer now or with the next data update. */
  get transferring(): TicketTransferring {
    return this.process(TicketTransferring);
  }

  /** Ticket examination [1637]-[1652]: present a ticket to a gate over the proximity link. */
  get presenting(): TicketPresenting {
    return this.process(TicketPresenting);
  }

  /** Ticket order [1556]-[1571]: order, keep the offer. */
  get ordering(): TicketOrdering {
    return this.process(TicketOrdering);
  }

  /** Ticket purchase [1572]-[1620]: buy a kept offer; tickets and receipts. */
  get purchasing(): TicketPurchasing {
    return this.process(TicketPurchasing);
  }

  /** Ticket registration [1621]-[1627]: a new certified key pair. */
  get registering(): TicketRegistering {
    return this.process(TicketRegistering);
  }

  /** Ticket installation [1697]-[1708]: install a ticket from an installation card. */
  get installing(): TicketInstalling {
    return this.process(TicketInstalling);
  }

  /** Ticket modification [1725]-[1731]: modification notices, reaction selection, the new ticket. */
  get modifying(): TicketModifying {
    return this.process(TicketModifying);
  }

  /** Ticket refund [1753]-[1764]: refund receipts (temporary and final) and refusals. */
  get refunding(): TicketRefunding {
    return this.process(TicketRefunding);
  }

  get state(): WalletState {
    return this.context.store.get();
  }

  async onMessage(message: Message): Promise<void> {
    const process = this.byType.get(message.type);
    if (process === undefined) throw new ProtocolError('unknown-type', `the ticket wallet takes no ${message.type}`, { type: message.type });
    await process.onMessage(message);
  }

  async onDataUpdated(): Promise<void> {
    for (const process of this.processes) await process.onDataUpdated?.();
  }

  async close(): Promise<void> {
    // The store writes through: nothing is held back.
  }

  /** The processes of the terminal's side; each keeps a typed handle on the wallet for its own commands. */
  private createProcesses(): WalletProcess[] {
    const ordering = new TicketOrdering(this.context);
    return [ordering, new TicketPurchasing(this.context, ordering), new TicketRegistering(this.context), new TicketTransferring(this.context), new TicketPresenting(this.context), new TicketInstalling(this.context), new TicketModifying(this.context), new TicketRefunding(this.context)];
  }

  private process<P extends WalletProcess>(kind: abstract new (...args: never[]) => P): P {
    const found = this.processes.find((candidate): candidate is P => candidate instanceof kind);
    if (found === undefined) throw new Error(`the ticket wallet runs no ${kind.name}`);
    return found;
  }
}

/** The wallet, for the mobile user terminal. `messages` are every ticket message the terminal sends or receives. */
export function ticketWalletModule(messages: readonly MessageDefinition[]): TerminalModuleFactory {
  return { moduleId: TICKET_WALLET_MODULE, deviceKinds: ['mobile'], messages, create: (host) => new TicketWallet(host) };
}
