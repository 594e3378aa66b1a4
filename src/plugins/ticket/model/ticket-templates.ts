import type { TicketInformation } from './ticket-information.js';
import type { TicketStatus, VariableTicketInformation } from './ticket-status.js';

/**
 * Instruction codes 11017 ([1646]): how an examination changes the ticket status and variable ticket information.
 * Declarative: the gate's examination module names one, the ticket's transaction module applies it.
 */
export const INSTRUCTION_CODES = ['enter', 'use-coupon', 'inspect'] as const;
export type InstructionCode = (typeof INSTRUCTION_CODES)[number];

export interface ModuleRef {
  readonly moduleId: string;
  readonly version: string;
}

/**
 * An electronic ticket template (the template list 4905): the transaction, display and examination modules a ticket
 * of this template runs, and the default representative component information (4921). Programs are data, never code
 * carried in a message (DESIGN "Plugins").
 */
export interface TicketTemplate {
  readonly templateCode: string;
  readonly description: string;
  readonly transactionModule: ModuleRef;
  readonly displayModule: ModuleRef;
  readonly examinationModule: ModuleRef & { readonly instruction: InstructionCode };
  readonly defaultRepresentativeComponent: Readonly<Record<string, string>>;
}

export const TICKET_TEMPLATES: Readonly<Record<string, TicketTemplate>> = {
  'admission.single-v1': {
    templateCode: 'admission.single-v1',
    description: 'One entry: the first examination marks the ticket entered; a second is refused.',
    transactionModule: { moduleId: 'ticket.transaction.single-entry', version: '1' },
    displayModule: { moduleId: 'ticket.display.standard', version: '1' },
    examinationModule: { moduleId: 'ticket.examination', version: '1', instruction: 'enter' },
    defaultRepresentativeComponent: { layout: 'standard', colour: '#1f5fbf' },
  },
  'coupon.book-v1': {
    templateCode: 'coupon.book-v1',
    description: 'A coupon ticket: each examination uses one coupon; with none left the ticket is exhausted.',
    transactionModule: { moduleId: 'ticket.transaction.coupon', version: '1' },
    displayModule: { moduleId: 'ticket.display.coupon', version: '1' },
    examinationModule: { moduleId: 'ticket.examination', version: '1', instruction: 'use-coupon' },
    defaultRepresentativeComponent: { layout: 'coupon', colour: '#2e8b57' },
  },
};

export function templateOf(templateCode: string): TicketTemplate | undefined {
  return TICKET_TEMPLATES[templateCode];
}

/** [1604]: the ticket status and variable ticket information a new ticket starts with, from its usage conditions. */
export function initialTicketState(information: TicketInformation): { status: TicketStatus; variable: VariableTicketInformation } {
  return {
    status: { registration: 'unregistered', transferable: information.transferable, use: 'unused' },
    variable: { couponsLeft: information.coupons },
  };
}

export type InstructionResult =
  | { readonly ok: true; readonly status: TicketStatus; readonly variable: VariableTicketInformation }
  | { readonly ok: false; readonly reason: string };

/**
 * What an instruction code does to a ticket ([1647], [1650]). The terminal applies it; the gate and the service
 * director compute the same result to check the terminal did exactly that.
 */
export function applyInstruction(instruction: InstructionCode, status: TicketStatus, variable: VariableTicketInformation): InstructionResult {
  if (status.use === 'disabled') return { ok: false, reason: 'ticket use disabled' };
  switch (instruction) {
    case 'inspect':
      return { ok: true, status, variable };
    case 'enter':
      if (status.use !== 'unused') return { ok: false, reason: `ticket already ${status.use}` };
      return { ok: true, status: { ...status, use: 'entered' }, variable };
    case 'use-coupon': {
      const left = variable.couponsLeft;
      if (left === null) return { ok: false, reason: 'not a coupon ticket' };
      if (left < 1 || status.use === 'exhausted') return { ok: false, reason: 'no coupons left' };
      return { ok: true, status: { ...status, use: left - 1 === 0 ? 'exhausted' : status.use }, variable: { couponsLeft: left - 1 } };
    }
  }
}
