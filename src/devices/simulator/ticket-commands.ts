import { isDeviceId } from '../../protocol/ids.js';
import { openPart } from '../../protocol/signed-part.js';
import { DEFAULT_CATALOGUE } from '../../plugins/ticket/issuer/issuer-catalogue.js';
import { REFERENCE_TICKET_ISSUER_ID } from '../../plugins/ticket/issuer/reference-ticket-issuing-system.js';
import { TICKET_SALES_OFFER_TYPE, ticketSalesOfferBody } from '../../plugins/ticket/order/order.messages.js';
import { TICKET_GATE_MODULE, type TicketGate } from '../../plugins/ticket/terminal/gate/ticket-gate.module.js';
import { TICKET_WALLET_MODULE, type TicketWallet } from '../../plugins/ticket/terminal/wallet/ticket-wallet.module.js';
import type { DeviceRuntime } from '../runtime/device-runtime.js';

export const TICKET_USAGE = `  gate [--setup CODE]... [--serve]
                         a gate terminal: set the gate up for each ticket CODE (6601 / 6602, [1628]-[1634]), then
                         with --serve stay attached and examine tickets presented over the MQTT proximity relay,
                         printing each examination as a JSON line (the opening signal goes to out/open); exit 1 if
                         a setup is refused
  ticket order CODE [--date YYYY-MM-DD] [--count N] [--issuer ISSUER]
                         a mobile user terminal: order tickets of CODE (5801 / 5804, [1556]-[1571]) from ISSUER
                         (default ${REFERENCE_TICKET_ISSUER_ID}; --date defaults to the reference catalogue's date),
                         keep the offer and print it; exit 0 offered, 5 refused (sold out, over the limit...)
  ticket buy [OFFER] [--payment CODE]
                         buy the kept offer OFFER (default: the latest) with payment service CODE (default visa)
                         (5901 ... 5909 / 6005, [1572]-[1620]); print the tickets issued; exit 0 issued, 5 refused
  ticket register TICKET register TICKET (6501 / 6502, [1621]-[1627]): a new certified key pair; print its status
  ticket list            a mobile user terminal: print the tickets in its ticket list 1712
                         (order, buy and list need --state-file: the wallet lives there between runs)
  ticket present TICKET --gate GATE
                         present TICKET to the gate with device ID GATE over the MQTT proximity relay ([1637]-[1652]);
                         print the outcome; exit 0 examined, 5 refused (transaction number 0), 6 the gate was not
                         genuine, 4 no answer`;

export interface TicketCommandOptions {
  readonly serve: boolean;
  readonly setup: readonly string[];
  readonly gate: string | undefined;
  readonly timeoutMs: number | undefined;
  readonly date?: string | undefined;
  readonly count?: number | undefined;
  readonly issuer?: string | undefined;
  readonly payment?: string | undefined;
}

const PRESENTATION_EXIT = { examined: 0, refused: 5, 'gate-rejected': 6, 'no-answer': 4 } as const;

/** The simulator's ticket commands: a gate that sets up and serves, a phone that lists and presents tickets. */
export async function ticketCommand(runtime: DeviceRuntime, command: 'gate' | 'ticket', args: readonly string[], options: TicketCommandOptions, untilSignal: () => Promise<void>): Promise<number> {
  if (command === 'gate') return gate(runtime, options, untilSignal);
  const wallet = runtime.module<TicketWallet>(TICKET_WALLET_MODULE);
  const [action, ticketId] = args;
  if (action === 'order') return order(wallet, args[1], options);
  if (action === 'buy') return buy(wallet, args[1], options);
  if (action === 'register') {
    if (ticketId === undefined) throw new Error('usage: ticket register TICKET');
    const registered = await wallet.registering.register(ticketId, options.timeoutMs);
    console.log(JSON.stringify({ ticketId, outcome: 'registered', status: registered.status }));
    return 0;
  }
  if (action === 'list') {
    for (const ticket of wallet.state.tickets) console.log(JSON.stringify({ ticketId: ticket.ticketId, ticketCode: ticket.ticketCode, status: ticket.status, variable: ticket.variable, examinationNumber: ticket.examinationNumber }));
    return 0;
  }
  if (action !== 'present' || ticketId === undefined || options.gate === undefined || !isDeviceId(options.gate)) throw new Error('usage: ticket present TICKET --gate GATE (a device ID such as dev:gate:metro-1)');
  const outcome = await wallet.presenting.present(ticketId, options.gate);
  console.log(JSON.stringify(outcome.outcome === 'examined' ? { outcome: outcome.outcome, certificate: outcome.certificate, status: outcome.ticket.status, variable: outcome.ticket.variable } : outcome));
  return PRESENTATION_EXIT[outcome.outcome];
}

async function order(wallet: TicketWallet, ticketCode: string | undefined, options: TicketCommandOptions): Promise<number> {
  if (ticketCode === undefined) throw new Error('usage: ticket order CODE [--date YYYY-MM-DD] [--count N] [--issuer ISSUER]');
  const date = options.date ?? DEFAULT_CATALOGUE.find((event) => event.ticketCode === ticketCode)?.date;
  if (date === undefined) throw new Error(`ticket order ${ticketCode} needs --date YYYY-MM-DD (not in the reference catalogue)`);
  const response = await wallet.ordering.order({ issuer: options.issuer ?? REFERENCE_TICKET_ISSUER_ID, ticketCode, date, count: options.count ?? 1, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
  // The offer is shown as the terminal displays it ([1570]); its issuer signature is checked at the purchase by the SP.
  const offer = response.ticketSalesOffer === null ? undefined : openPart(wallet.context.host.envelope, TICKET_SALES_OFFER_TYPE, response.ticketSalesOffer, ticketSalesOfferBody, [], () => undefined);
  const body = offer?.ok === true ? offer.body : undefined;
  console.log(JSON.stringify({ responseCode: response.responseCode, responseMessage: response.responseMessage, offerNumber: response.offerNumber, validUntil: response.validUntil, ...(body === undefined ? {} : { title: body.title, date: body.date, location: body.location, count: body.count, seats: body.seats, price: body.price, coupons: body.coupons, transferable: body.transferable }) }));
  return response.responseCode === 'ticket-available' ? 0 : 5;
}

async function buy(wallet: TicketWallet, offerNumber: string | undefined, options: TicketCommandOptions): Promise<number> {
  const result = await wallet.purchasing.purchase({ ...(offerNumber === undefined ? {} : { offerNumber }), paymentServiceCode: options.payment ?? 'visa', ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
  console.log(JSON.stringify(result));
  return result.outcome === 'issued' ? 0 : 5;
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
