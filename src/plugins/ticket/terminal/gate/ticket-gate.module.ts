import { ModuleStore } from '../../../../devices/modules/module-store.js';
import type { TerminalModule, TerminalModuleFactory, TerminalModuleHost } from '../../../../devices/modules/terminal-module.js';
import { ProtocolError } from '../../../../protocol/errors.js';
import type { FieldsOf, Message, MessageDefinition } from '../../../../protocol/message.js';
import { authorizationReports, type AuthorizationReport } from '../../reference/authorization-report.js';
import { GATE_KEY_SEAL_LABEL, ticketSetupMessage, ticketSetupRefused } from '../../setup/setup.messages.js';
import { examinationPrograms } from '../../modification/examination-program.js';
import { GateExaminer, type GateEvent } from './gate-examiner.js';
import { gateState, initialGateState, type GateState, type GateTicketEntry } from './gate-state.js';

export const TICKET_GATE_MODULE = 'ticket.examination';
/** The examination module this gate runs; a setup for another module or version is refused. */
export const GATE_EXAMINATION_MODULE = { moduleId: 'ticket.examination', version: '1' } as const;

export type SetupOutcome = { readonly outcome: 'set-up'; readonly entry: GateTicketEntry } | { readonly outcome: 'refused'; readonly reason: string };

export interface TicketGateSettings {
  readonly maxSkewMs?: number;
  readonly responseTimeoutMs?: number;
}

/**
 * The gate terminal's ticket module: ticket setup [1630]-[1634] (its ticket list 2409), ticket examination
 * [1640]-[1653] over the proximity link (transaction list 2510, the gate opening output), and the authorization
 * report list 2511 the data updates fill ([1663]).
 */
export class TicketGate implements TerminalModule {
  readonly moduleId = TICKET_GATE_MODULE;
  readonly messageTypes = [ticketSetupMessage.type, ticketSetupRefused.type];
  readonly store: ModuleStore<GateState>;
  private readonly examiner: GateExaminer;
  private readonly setupWaiters = new Map<string, (outcome: SetupOutcome) => void>();
  private readonly listeners: Array<(event: GateEvent) => void> = [];

  constructor(
    private readonly host: TerminalModuleHost,
    settings: TicketGateSettings = {},
  ) {
    this.store = new ModuleStore<GateState>(host.stateFile(TICKET_GATE_MODULE), initialGateState, (raw) => gateState.parse(raw));
    this.examiner = new GateExaminer(host, this.store, {
      maxSkewMs: settings.maxSkewMs ?? 60_000,
      responseTimeoutMs: settings.responseTimeoutMs ?? 10_000,
      onEvent: (event) => this.listeners.forEach((listener) => listener(event)),
    });
    host.proximity?.onFrame((frame) => this.examiner.receive(frame));
  }

  get state(): GateState {
    return this.store.get();
  }

  /** Each examination's outcome as it happens (the gate's display, [1653]). */
  onEvent(listener: (event: GateEvent) => void): void {
    this.listeners.push(listener);
  }

  /** The authorization report list 2511: reference results the service providing system sent in update data ([1663]). */
  authorizationReports(): AuthorizationReport[] {
    return authorizationReports(this.host.serviceData?.() ?? {});
  }

  /** The ticket setup operation 6600: asks the SP for the examination program of a ticket code (6601). */
  async setup(ticketCode: string, timeoutMs = 10_000): Promise<SetupOutcome> {
    const merchantId = this.host.credentials.merchantId;
    if (merchantId === null) throw new Error(`${this.host.deviceId} belongs to no merchant`);
    const id = this.host.newMessageId();
    const outcome = new Promise<SetupOutcome>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.setupWaiters.delete(id);
        reject(new Error(`no ticket setup message for ${ticketCode} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.setupWaiters.set(id, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
    });
    try {
      await this.host.sendToServiceProvider('ticketSetupRequest', { ticketCode, gateId: this.host.deviceId, merchantId }, { id });
    } catch (error) {
      this.setupWaiters.get(id)?.({ outcome: 'refused', reason: error instanceof Error ? error.message : String(error) });
    }
    return outcome;
  }

  async onMessage(message: Message): Promise<void> {
    if (message.type === ticketSetupRefused.type) {
      const fields = message.fields as FieldsOf<typeof ticketSetupRefused>;
      this.answer(message.re, { outcome: 'refused', reason: fields.reason });
      return;
    }
    if (message.type !== ticketSetupMessage.type) throw new ProtocolError('unknown-type', `the ticket gate takes no ${message.type}`, { type: message.type });
    const entry = this.entryOf(message.fields as FieldsOf<typeof ticketSetupMessage>);
    // [1634]: the examination program joins the ticket list 2409 (a later setup of the same code replaces it).
    this.store.update((state) => ({ ...state, ticketList: { ...state.ticketList, [entry.ticketCode]: entry } }));
    this.answer(message.re, { outcome: 'set-up', entry });
  }

  /**
   * [1721]-[1722]: a template modification's new examination program arrives in update data; it replaces the program of
   * the ticket code in the ticket list 2409 (codes this gate has not set up are left alone).
   */
  async onDataUpdated(): Promise<void> {
    const programs = examinationPrograms(this.host.serviceData?.() ?? {});
    const current = this.store.get().ticketList;
    const changed: Record<string, GateTicketEntry> = {};
    for (const [ticketCode, program] of programs) {
      const entry = current[ticketCode];
      if (entry === undefined || program.moduleId !== GATE_EXAMINATION_MODULE.moduleId || program.version !== GATE_EXAMINATION_MODULE.version) continue;
      if (entry.module.templateCode === program.templateCode && entry.module.instruction === program.instruction) continue;
      changed[ticketCode] = { ...entry, module: { ...entry.module, templateCode: program.templateCode, instruction: program.instruction } };
    }
    if (Object.keys(changed).length > 0) this.store.update((state) => ({ ...state, ticketList: { ...state.ticketList, ...changed } }));
  }

  async close(): Promise<void> {
    for (const answer of this.setupWaiters.values()) answer({ outcome: 'refused', reason: 'the gate closed' });
    this.setupWaiters.clear();
  }

  private entryOf(fields: FieldsOf<typeof ticketSetupMessage>): GateTicketEntry {
    const module = fields.ticketExaminationModule;
    if (fields.serviceProviderId !== this.host.credentials.sp.id) throw new ProtocolError('refused', `ticket setup from ${fields.serviceProviderId}, not this gate's service provider`, { type: ticketSetupMessage.type });
    if (module.moduleId !== GATE_EXAMINATION_MODULE.moduleId || module.version !== GATE_EXAMINATION_MODULE.version) {
      throw new ProtocolError('refused', `examination module ${module.moduleId}@${module.version} is not one this gate runs`, { type: ticketSetupMessage.type });
    }
    const principal = this.host.credentials.principal;
    let gatePrivateKey: Uint8Array;
    try {
      const sealed = this.host.envelope.decodeFrame(fields.gatePrivateKey);
      if (sealed.t !== 'sealed') throw new Error('not sealed');
      gatePrivateKey = this.host.envelope.open(sealed, GATE_KEY_SEAL_LABEL(this.host.deviceId, fields.ticketCode), principal.keys.sealing.secretKey, principal.keys.sealing.publicKey);
    } catch {
      throw new ProtocolError('undecryptable', 'the gate private key of the ticket setup does not open', { type: ticketSetupMessage.type });
    }
    if (gatePrivateKey.length !== 32) throw new ProtocolError('schema', 'the gate private key is not 32 bytes', { type: ticketSetupMessage.type });
    return {
      ticketCode: fields.ticketCode,
      ticketName: fields.ticketName,
      issuerId: fields.issuerId,
      validFrom: fields.validityTerm.validFrom,
      validUntil: fields.validityTerm.validUntil,
      gatePrivateKey,
      ticketPublicKey: fields.ticketPublicKey,
      module,
      setUpAt: this.host.clock.now(),
    };
  }

  private answer(re: string | undefined, outcome: SetupOutcome): void {
    const waiter = re === undefined ? undefined : this.setupWaiters.get(re);
    if (re === undefined || waiter === undefined) return;
    this.setupWaiters.delete(re);
    waiter(outcome);
  }
}

/** The gate's ticket module. `messages` are the ticket messages the gate receives from the SP and sends to it. */
export function ticketGateModule(messages: readonly MessageDefinition[], settings: TicketGateSettings = {}): TerminalModuleFactory {
  return { moduleId: TICKET_GATE_MODULE, deviceKinds: ['gate'], messages, create: (host) => new TicketGate(host, settings) };
}
