import type { TicketSlice } from '../ticket-slice.js';
import { EXAMINATION_MESSAGES } from './examination.messages.js';

/**
 * Ticket examination [1635]-[1653]: between the mobile user terminal and the gate over the proximity link, with no
 * part for the service providing system (its messages are registered so every codec and the inspector know them).
 */
export const examinationSlice: TicketSlice = { process: 'ticket-examination', messages: EXAMINATION_MESSAGES, machines: [] };
