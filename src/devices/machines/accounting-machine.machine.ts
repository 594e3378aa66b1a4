import { createTerminalMachine } from './terminal.machine-kit.js';

/** The accounting machine 3555 of an automatic vending machine 104. */
export const accountingMachineMachine = createTerminalMachine('accountingMachine', 'merchantRemoteAccessRequest', 'merchantRemoteAccessData');
