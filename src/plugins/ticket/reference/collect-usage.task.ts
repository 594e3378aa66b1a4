import { In, IsNull } from 'typeorm';
import type { TaskHandler } from '../../../core/outbox-dispatcher.js';
import { transactionalTask } from '../../../core/transactional-task.js';
import { MerchantListEntity } from '../../../persistence/entities/index.js';
import type { PluginServices } from '../../plugin.contract.js';
import { RegisteredTicketEntity } from '../persistence/registered-ticket.entity.js';
import { TicketExaminationResponseEntity } from '../persistence/ticket-examination-response.entity.js';

export const COLLECT_USAGE_TASK = 'ticket-usage-report.collect';
/** Most examination responses one report round takes; the rest wait for the next round. */
const ROUND_LIMIT = 500;

/** One usage report 7100 to make: an issuer's tickets a merchant handled ([1665]). */
export interface UsageToReport {
  readonly reportNumber: string;
  readonly issuerId: string;
  readonly merchantId: string;
  readonly merchantName: string;
  readonly ticketIds: readonly string[];
}

/**
 * [1664]: the examination responses newly registered in the examination response list since the last report, by
 * issuer and merchant. They are marked reported in the same transaction that stores the round's result, so a round
 * run again after a crash reports the same and no response is reported twice.
 */
export function collectUsageTask(services: PluginServices): TaskHandler {
  return transactionalTask<{ round: number }, UsageToReport[]>(services.dataSource, services.clock, async (input, em) => {
    const responses = await em.getRepository(TicketExaminationResponseEntity).find({ where: { result: 'accepted', reportedAt: IsNull() }, order: { referencedAt: 'ASC' }, take: ROUND_LIMIT });
    if (responses.length === 0) return [];
    const ticketIds = [...new Set(responses.map((row) => row.ticketId))];
    const tickets = await em.getRepository(RegisteredTicketEntity).find({ select: { ticketId: true, issuerId: true }, where: { ticketId: In(ticketIds) } });
    const issuerOf = new Map(tickets.map((ticket) => [ticket.ticketId, ticket.issuerId]));
    const merchants = await em.getRepository(MerchantListEntity).find({ where: { merchantId: In([...new Set(responses.map((row) => row.merchantId))]) } });
    const nameOf = new Map(merchants.map((merchant) => [merchant.merchantId, merchant.name]));
    const groups = new Map<string, { issuerId: string; merchantId: string; ticketIds: Set<string> }>();
    for (const row of responses) {
      const issuerId = issuerOf.get(row.ticketId);
      if (issuerId === undefined) continue;
      const key = `${issuerId} ${row.merchantId}`;
      const group = groups.get(key) ?? { issuerId, merchantId: row.merchantId, ticketIds: new Set<string>() };
      group.ticketIds.add(row.ticketId);
      groups.set(key, group);
    }
    await em.getRepository(TicketExaminationResponseEntity).update({ id: In(responses.map((row) => row.id)) }, { reportedAt: services.clock.now() });
    return [...groups.values()].map((group, index) => ({
      reportNumber: `r${input.round}-${index + 1}-${services.newId().slice(0, 8)}`,
      issuerId: group.issuerId,
      merchantId: group.merchantId,
      merchantName: nameOf.get(group.merchantId) ?? group.merchantId,
      ticketIds: [...group.ticketIds].sort(),
    }));
  });
}
