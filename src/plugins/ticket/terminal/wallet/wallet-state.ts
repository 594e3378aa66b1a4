import { z } from 'zod';
import { bytes } from '../../../../protocol/message.js';
import { electronicTicket } from '../../model/electronic-ticket.js';

/** A ticket in the ticket list 1712, with the ticket examination number the terminal keeps ([1648], [1652]). */
export const walletTicket = electronicTicket.extend({ examinationNumber: z.number().int().nonnegative() }).strict();
export type WalletTicket = z.infer<typeof walletTicket>;

/**
 * One entry of the use list 1715 ([1682]): request number 1840, service code 1841 (which process), use time 1842, and
 * the use information (the receipt, examination certificate, transfer receipt... as the signed bytes received).
 */
export const useEntry = z
  .object({
    requestNumber: z.string(),
    serviceCode: z.string(),
    usedAt: z.number().int().nonnegative(),
    kind: z.string(),
    ticketId: z.string().nullable(),
    information: bytes(),
  })
  .strict();
export type UseEntry = z.infer<typeof useEntry>;

/**
 * The mobile user terminal's ticket memory. `processes` holds what each process keeps between its messages (offers
 * received, requests sent and not yet answered), by process name, each validated by its own process.
 */
export const walletState = z
  .object({
    tickets: z.array(walletTicket),
    useList: z.array(useEntry),
    processes: z.record(z.string(), z.unknown()),
  })
  .strict();
export type WalletState = z.infer<typeof walletState>;

export const initialWalletState = (): WalletState => ({ tickets: [], useList: [], processes: {} });
