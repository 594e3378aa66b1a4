import { TisIssuedTicket, TisSale } from './entities/index.js';
import type { IssuerDatabase } from './issuer-database.js';

export interface IssuerTicketCounts {
  /** Tickets sold and not cancelled or refunded: they must all be in wallets. */
  readonly inCirculation: number;
  readonly refunded: number;
  /** Tickets whose sale was cancelled because its clearing failed. */
  readonly cancelled: number;
  readonly salesByStatus: Readonly<Record<string, number>>;
  readonly ticketIds: readonly string[];
}

/** Read-only questions to the issuing system, for tests and the demo. */
export class IssuerReadModel {
  constructor(private readonly db: IssuerDatabase) {}

  async ticketCounts(): Promise<IssuerTicketCounts> {
    const tickets = await this.db.dataSource.getRepository(TisIssuedTicket).find();
    const sales = await this.db.dataSource.getRepository(TisSale).find();
    const salesByStatus: Record<string, number> = {};
    for (const sale of sales) salesByStatus[sale.status] = (salesByStatus[sale.status] ?? 0) + 1;
    const live = tickets.filter((ticket) => ticket.status === 'issued');
    return {
      inCirculation: live.length,
      refunded: tickets.filter((ticket) => ticket.status === 'refunded').length,
      cancelled: tickets.filter((ticket) => ticket.status === 'cancelled').length,
      salesByStatus,
      ticketIds: live.map((ticket) => ticket.ticketId).sort(),
    };
  }

  async sale(transactionNumber: string): Promise<TisSale | null> {
    return this.db.dataSource.getRepository(TisSale).findOneBy({ transactionNumber });
  }
}
