import { z } from 'zod';
import { bytes } from '../../../../protocol/message.js';
import { ticketCode, ticketId } from '../../model/ticket-information.js';
import { ticketExaminationModule } from '../../setup/setup.messages.js';

/** One entry of the gate's ticket list 2409: the electronic ticket examination program a ticket setup 6602 delivered. */
export const gateTicketEntry = z
  .object({
    ticketCode,
    ticketName: z.string(),
    issuerId: z.string(),
    validFrom: z.number().int().nonnegative(),
    validUntil: z.number().int().nonnegative(),
    gatePrivateKey: bytes(32),
    ticketPublicKey: bytes(32),
    module: ticketExaminationModule,
    setUpAt: z.number().int().nonnegative(),
  })
  .strict();
export type GateTicketEntry = z.infer<typeof gateTicketEntry>;

/** One entry of the transaction list 2510 ([1653]): the examination response as history of the examination. */
export const gateTransaction = z
  .object({
    transactionNumber: z.number().int().positive(),
    ticketId,
    ticketCode,
    requestNumber: z.string(),
    ticketExaminationNumber: z.number().int().positive(),
    examinedAt: z.number().int().nonnegative(),
    response: bytes(),
  })
  .strict();
export type GateTransaction = z.infer<typeof gateTransaction>;

export const gateState = z.object({ ticketList: z.record(z.string(), gateTicketEntry), transactionList: z.array(gateTransaction) }).strict();
export type GateState = z.infer<typeof gateState>;

export const initialGateState = (): GateState => ({ ticketList: {}, transactionList: [] });

/** The transaction list keeps the latest examinations; the records uploaded at data updates are the SP's copy. */
export const TRANSACTION_LIST_CAPACITY = 1000;
