import { isDeviceId } from '../../protocol/ids.js';
import { TICKET_GATE_MODULE, type TicketGate } from '../../plugins/ticket/terminal/gate/ticket-gate.module.js';
import { TICKET_WALLET_MODULE, type TicketWallet } from '../../plugins/ticket/terminal/wallet/ticket-wallet.module.js';
import type { DeviceRuntime } from '../runtime/device-runtime.js';

export const TICKET_USAGE = `  gate [--setup CODE]... [--serve]
                         a gate terminal: set the gate up for each ticket CODE (6601 / 6602, [1628]-[1634]), then
                         with --serve stay attached and examine tickets presented over the MQTT proximity relay,
                         printing each examination as a JSON line (the opening signal goes to out/open); exit 1 if
                         a setup is refused
  ticket list            a mobile user terminal: print the tickets in its ticket list 1712 (needs --state-file)
  ticket present TICKET --gate GATE
                         present TICKET to the gate with device ID GATE over the MQTT proximity relay ([1637]-[1652]);
                         print the outcome; exit 0 examined, 5 refused (transaction number 0), 6 the gate was not
                         genuine, 4 no answer`;

export interface TicketCommandOptions {
  readonly serve: boolean;
  readonly setup: readonly string[];
  readonly gate: string | undefined;
  readonly timeoutMs: number | undefined;
}

const PRESENTATION_EXIT = { examined: 0, refused: 5, 'gate-rejected': 6, 'no-answer': 4 } as const;

/** The simulator's ticket commands: a gate that sets up and serves, a phone that lists and presents tickets. */
export async function ticketCommand(runtime: DeviceRuntime, command: 'gate' | 'ticket', args: readonly string[], options: TicketCommandOptions, untilSignal: () => Promise<void>): Promise<number> {
  if (command === 'gate') return gate(runtime, options, untilSignal);
  const wallet = runtime.module<TicketWallet>(TICKET_WALLET_MODULE);
  const [action, ticketId] = args;
  if (action === 'list') {
    for (const ticket of wallet.state.tickets) console.log(JSON.stringify({ ticketId: ticket.ticketId, ticketCode: ticket.ticketCode, status: ticket.status, variable: ticket.variable, examinationNumber: ticket.examinationNumber }));
    return 0;
  }
  if (action !== 'present' || ticketId === undefined || options.gate === undefined || !isDeviceId(options.gate)) throw new Error('usage: ticket present TICKET --gate GATE (a device ID such as dev:gate:metro-1)');
  const outcome = await wallet.presenting.present(ticketId, options.gate);
  console.log(JSON.stringify(outcome.outcome === 'examined' ? { outcome: outcome.outcome, certificate: outcome.certificate, status: outcome.ticket.status, variable: outcome.ticket.variable } : outcome));
  return PRESENTATION_EXIT[outcome.outcome];
}

async function gate(runtime: DeviceRuntime, options: TicketCommandOptions, untilSignal: () => Promise<void>): Promise<number> {
  const module = runtime.module<TicketGate>(TICKET_GATE_MODULE);
  for (const code of options.setup) {
    const outcome = await module.setup(code, options.timeoutMs);
    console.log(JSON.stringify(outcome.outcome === 'set-up' ? { setup: code, outcome: outcome.outcome, ticketName: outcome.entry.ticketName, instruction: outcome.entry.module.instruction, validUntil: outcome.entry.validUntil } : { setup: code, ...outcome }));
    if (outcome.outcome === 'refused') return 1;
  }
  if (!options.serve) return 0;
  module.onEvent((event) => console.log(JSON.stringify({ at: new Date().toISOString(), ...event })));
  console.error(`${runtime.deviceId} examines ${Object.keys(module.state.ticketList).join(', ') || 'nothing yet (set it up with --setup CODE)'}; Ctrl-C to stop`);
  await untilSignal();
  return 0;
}
