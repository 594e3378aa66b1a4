import { createTerminalMachine } from './terminal.machine-kit.js';

/** The gate terminal 101: examines tickets at a gate and opens it. */
export const gateTerminalMachine = createTerminalMachine('gateTerminal', 'merchantRemoteAccessRequest', 'merchantRemoteAccessData');
