import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../../common/clock.js';
import { transaction } from '../../../persistence/write-lock.js';
import { TicketManagementEntity } from '../persistence/ticket-management.entity.js';
import { TicketMerchantEntity } from '../persistence/ticket-merchant.entity.js';

export interface MerchantListEntry {
  readonly ticketCode: string;
  readonly merchantId: string;
  /** One gate of the merchant, or null for all of its gates. */
  readonly gateId: string | null;
}

/**
 * The merchant list 5302 of each ticket code: which merchants (and gates) may set a gate up for it ([1632]). The
 * operator's way to put a merchant on it (the demo and tests use it; the issuer's contract decides who is on it).
 */
export class TicketMerchantList {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Adds the entry once (adding it again changes nothing). Refuses a ticket code with no management information. */
  async add(entry: MerchantListEntry): Promise<void> {
    await transaction(this.dataSource, async (em) => {
      if ((await em.getRepository(TicketManagementEntity).findOneBy({ ticketCode: entry.ticketCode })) === null) throw new Error(`no electronic ticket management information for ${entry.ticketCode}`);
      if (await isListed(em, entry.ticketCode, entry.merchantId, entry.gateId, true)) return;
      await em.getRepository(TicketMerchantEntity).insert({ ticketCode: entry.ticketCode, merchantId: entry.merchantId, gateId: entry.gateId, addedAt: this.clock.now() });
    });
  }

  async remove(entry: MerchantListEntry): Promise<void> {
    await transaction(this.dataSource, async (em) => {
      await em.getRepository(TicketMerchantEntity).delete({ ticketCode: entry.ticketCode, merchantId: entry.merchantId, ...(entry.gateId === null ? {} : { gateId: entry.gateId }) });
    });
  }

  async list(ticketCode: string): Promise<TicketMerchantEntity[]> {
    return this.dataSource.getRepository(TicketMerchantEntity).find({ where: { ticketCode }, order: { id: 'ASC' } });
  }
}

/**
 * Whether the merchant (or, with `exact`, exactly this entry) is on the merchant list of the ticket code for the gate:
 * an entry for all the merchant's gates (gateId null) or for this gate.
 */
export async function isListed(manager: EntityManager | DataSource, ticketCode: string, merchantId: string, gateId: string | null, exact = false): Promise<boolean> {
  const rows = await manager.getRepository(TicketMerchantEntity).findBy({ ticketCode, merchantId });
  return rows.some((row) => (exact ? row.gateId === gateId : row.gateId === null || row.gateId === gateId));
}
