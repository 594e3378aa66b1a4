import type { MachineEntry } from '../actors/machine-catalog.js';
import { dataUpdateDirectorMachine } from '../actors/data-update-director.machine.js';
import { merchantProcessorMachine } from '../actors/merchant-processor.machine.js';
import { paymentCardIssuerProcessorMachine } from '../actors/payment-card-issuer-processor.machine.js';
import { phoneCardIssuerProcessorMachine } from '../actors/phone-card-issuer-processor.machine.js';
import { remoteAccessDirectorMachine } from '../actors/remote-access-director.machine.js';
import { serviceManagerMachine } from '../actors/service-manager.machine.js';
import { ticketIssuerProcessorMachine } from '../actors/ticket-issuer-processor.machine.js';
import { transactionProcessorProcessorMachine } from '../actors/transaction-processor-processor.machine.js';
import { userProcessorMachine } from '../actors/user-processor.machine.js';
import { accountingMachineMachine } from '../devices/machines/accounting-machine.machine.js';
import { gateTerminalMachine } from '../devices/machines/gate-terminal.machine.js';
import { merchantTerminalMachine } from '../devices/machines/merchant-terminal.machine.js';
import { mobileUserTerminalMachine } from '../devices/machines/mobile-user-terminal.machine.js';
import { phoneCardAccountingMachineMachine } from '../devices/machines/phone-card-accounting-machine.machine.js';

/** The core's machines: the processors of the service providing system, the core director, and every device kind. */
export const CORE_MACHINES: readonly MachineEntry[] = [
  { kind: 'user-processor', version: 1, machine: userProcessorMachine, side: 'sp', description: 'User processor: requests from mobile user terminals' },
  { kind: 'merchant-processor', version: 1, machine: merchantProcessorMachine, side: 'sp', description: 'Merchant processor: requests from gates, merchant terminals and accounting machines' },
  { kind: 'service-manager', version: 1, machine: serviceManagerMachine, side: 'sp', description: 'Service manager: one service director per process group' },
  { kind: 'director:remote-access', version: 1, machine: remoteAccessDirectorMachine, side: 'sp', description: 'Service director: remote access to data another party holds' },
  { kind: 'director:data-update', version: 1, machine: dataUpdateDirectorMachine, side: 'sp', description: 'Service director: data updating, forcible data updating and data backup of one terminal' },
  { kind: 'ticket-issuer-processor', version: 1, machine: ticketIssuerProcessorMachine, side: 'sp', description: 'Ticket issuer processor' },
  { kind: 'payment-card-issuer-processor', version: 1, machine: paymentCardIssuerProcessorMachine, side: 'sp', description: 'Payment-card issuer processor' },
  { kind: 'phone-card-issuer-processor', version: 1, machine: phoneCardIssuerProcessorMachine, side: 'sp', description: 'Telephone-card issuer processor' },
  { kind: 'transaction-processor-processor', version: 1, machine: transactionProcessorProcessorMachine, side: 'sp', description: 'Transaction-processor processor' },
  { kind: 'device:mobile', version: 1, machine: mobileUserTerminalMachine, side: 'device', description: 'Mobile user terminal 100' },
  { kind: 'device:gate', version: 1, machine: gateTerminalMachine, side: 'device', description: 'Gate terminal 101' },
  { kind: 'device:merchant', version: 1, machine: merchantTerminalMachine, side: 'device', description: 'Merchant terminal 102/103' },
  { kind: 'device:vending', version: 1, machine: accountingMachineMachine, side: 'device', description: 'Accounting machine 3555 (automatic vending machine 104)' },
  { kind: 'device:phone-accounting', version: 1, machine: phoneCardAccountingMachineMachine, side: 'device', description: 'Telephone-card accounting machine 800 (switching center 105)' },
];
