// Usage report 7100 ([1664]-[1666]) to the reference ticket issuing system itself: a ticket bought from it, registered
// and examined at a gate is referenced at the gate's data update; the report names it and the issuing system, a
// separate endpoint, acknowledges the ticket as one it issued.
import { InspectionEventEntity } from '../../../src/persistence/entities/index.js';
import { TicketExaminationResponseEntity } from '../../../src/plugins/ticket/persistence/index.js';
import { USAGE_REPORT_PG } from '../../../src/plugins/ticket/reference/usage-report-director.machine.js';
import { TicketUsageReports } from '../../../src/plugins/ticket/reference/usage-reports.js';
import { REFERENCE_TICKET_ISSUER_ID } from '../../../src/plugins/ticket/issuer/reference-ticket-issuing-system.js';
import { TicketWorld } from '../../helpers/ticket-world.js';
import { waitFor } from '../../helpers/wait-for.js';
import { gateOf, setUpGate } from './gate-fixtures.js';

describe('usage report 7100 to the reference ticket issuing system', () => {
  let tickets: TicketWorld;

  beforeAll(async () => {
    tickets = await TicketWorld.create();
  });
  afterAll(async () => tickets.close());

  it('reports the tickets examined at a merchant, and the issuing system acknowledges the ones it issued', async () => {
    const { world } = tickets;
    const alice = await world.user('alice-u');
    const gate = await world.merchantDevice('gate', 'museum-gate-u', 'museum');
    const ticket = await tickets.buyTicket(alice, 'museum-metro-3');
    await tickets.wallet(alice).registering.register(ticket.ticketId);
    await setUpGate(world, gate, 'museum-metro-3');
    expect((await tickets.wallet(alice).presenting.present(ticket.ticketId, gate.credentials.deviceId)).outcome).toBe('examined');
    expect(gateOf(gate).state.transactionList).toHaveLength(1);
    expect(await gate.runtime.dataUpdate()).toBe('updated');
    const responses = world.platform.dataSource.getRepository(TicketExaminationResponseEntity);
    expect(await responses.findBy({ ticketId: ticket.ticketId, result: 'accepted' })).toHaveLength(1);

    await new TicketUsageReports(world.platform.actors, world.platform.spId).reportNow();
    await waitFor(async () => ((await responses.findOneBy({ ticketId: ticket.ticketId }))?.reportedAt ?? null) !== null, 'the response reported');
    await waitFor(async () => (await world.platform.actors.snapshotOf(USAGE_REPORT_PG))?.stateValue === 'idle', 'the usage report round to end');
    await world.platform.inspection.flush();
    const trace = await world.platform.dataSource.getRepository(InspectionEventEntity).findBy({ processGroup: USAGE_REPORT_PG });
    const sent = trace.find((event) => event.kind === 'message-out' && event.type === 'usageReport');
    const acknowledged = trace.find((event) => event.kind === 'message-in' && event.type === 'usageReportAcknowledgement');
    expect(sent?.detail).toMatchObject({ to: REFERENCE_TICKET_ISSUER_ID, fields: { ticketIdList: [ticket.ticketId], merchantId: 'mer:museum' } });
    expect(acknowledged?.detail).toMatchObject({ from: REFERENCE_TICKET_ISSUER_ID, fields: { acceptedTickets: 1, ticketIssuerId: REFERENCE_TICKET_ISSUER_ID } });

    // Nothing new since: the next round sends nothing.
    await new TicketUsageReports(world.platform.actors, world.platform.spId).reportNow();
    await waitFor(async () => (await world.platform.actors.snapshotOf(USAGE_REPORT_PG))?.stateValue === 'idle', 'the empty round');
    await world.platform.inspection.flush();
    expect(await world.platform.dataSource.getRepository(InspectionEventEntity).countBy({ processGroup: USAGE_REPORT_PG, kind: 'message-out', type: 'usageReport' })).toBe(1);
  });
});
