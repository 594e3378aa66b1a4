// Proves the ticket order [1556]-[1571] over the real broker, database, SP actors and reference ticket issuing system: each response code with its standard response message, the issuer-signed offer kept for the purchase, customer numbers per issuer, a price that follows the purchase history, and a forged order refused with nothing changed.
import { openPart } from '../../../src/protocol/signed-part.js';
import { REFERENCE_TICKET_ISSUER_ID } from '../../../src/plugins/ticket/issuer/reference-ticket-issuing-system.js';
import { STANDARD_ORDER_RESPONSE_MESSAGES, TICKET_SALES_OFFER_TYPE, ticketSalesOfferBody } from '../../../src/plugins/ticket/order/order.messages.js';
import { TicketCustomerEntity } from '../../../src/plugins/ticket/persistence/ticket-customer.entity.js';
import { AuditRecordEntity } from '../../../src/persistence/entities/index.js';
import { TicketWorld } from '../../helpers/ticket-world.js';
import { waitFor } from '../../helpers/wait-for.js';

let tickets: TicketWorld;

beforeAll(async () => {
  tickets = await TicketWorld.create({ ticket: { referenceIssuer: { policy: { trustedAfterPurchases: 5 } } } });
});
afterAll(async () => tickets.close());

const order = (user: Awaited<ReturnType<TestWorldUser>>, ticketCode: string, date: string, count = 1) => tickets.wallet(user).ordering.order({ issuer: REFERENCE_TICKET_ISSUER_ID, ticketCode, date, count });
type TestWorldUser = typeof tickets.world.user;

it('answers "ticket available" with an offer signed by the issuer, kept in the wallet for the purchase', async () => {
  const alice = await tickets.world.user('alice-o');
  const response = await order(alice, 'concert-2027', '2027-04-10', 2);
  expect(response).toMatchObject({ responseCode: 'ticket-available', responseMessage: STANDARD_ORDER_RESPONSE_MESSAGES['ticket-available'] });
  expect(response.ticketSalesOffer).not.toBeNull();
  const issuerKey = tickets.issuer.publicKeys.signing;
  const offer = openPart(tickets.world.platform.envelope, TICKET_SALES_OFFER_TYPE, response.ticketSalesOffer ?? new Uint8Array(), ticketSalesOfferBody, [REFERENCE_TICKET_ISSUER_ID], () => issuerKey);
  expect(offer.ok).toBe(true);
  if (!offer.ok) return;
  expect(offer.body).toMatchObject({ ticketCode: 'concert-2027', count: 2, seats: ['A1', 'A2'], price: { amount: 9000, currency: 'EUR' }, offerNumber: response.offerNumber });
  expect(tickets.wallet(alice).ordering.offers[response.offerNumber ?? '']).toMatchObject({ issuerId: REFERENCE_TICKET_ISSUER_ID });
  const customer = await tickets.world.platform.dataSource.getRepository(TicketCustomerEntity).findOneBy({ issuerId: REFERENCE_TICKET_ISSUER_ID, userId: 'usr:alice-o' });
  expect(customer?.customerNumber).toBe(offer.body.customerNumber);
});

it('answers "sold out", "over ticket limit" and "ticket order code error" with their standard messages and no offer', async () => {
  const bob = await tickets.world.user('bob-o');
  const soldOut = await order(bob, 'final-sold-out', '2027-05-20');
  expect(soldOut).toMatchObject({ responseCode: 'sold-out', responseMessage: STANDARD_ORDER_RESPONSE_MESSAGES['sold-out'], ticketSalesOffer: null, offerNumber: null });
  const overLimit = await order(bob, 'gala-personal', '2027-06-01', 3);
  expect(overLimit).toMatchObject({ responseCode: 'over-ticket-limit', responseMessage: STANDARD_ORDER_RESPONSE_MESSAGES['over-ticket-limit'], ticketSalesOffer: null });
  const unknownCode = await order(bob, 'no-such-event', '2027-06-01');
  expect(unknownCode).toMatchObject({ responseCode: 'ticket-order-code-error', responseMessage: STANDARD_ORDER_RESPONSE_MESSAGES['ticket-order-code-error'] });
  const wrongDate = await order(bob, 'concert-2027', '2027-04-11');
  expect(wrongDate.responseCode).toBe('ticket-order-code-error');
  expect(Object.keys(tickets.wallet(bob).ordering.offers)).toHaveLength(0);
});

it('counts offers still held against the ticket limit, and gives each user a customer number of their own', async () => {
  const carol = await tickets.world.user('carol-o');
  expect((await order(carol, 'gala-personal', '2027-06-01', 2)).responseCode).toBe('ticket-available');
  expect((await order(carol, 'gala-personal', '2027-06-01', 1)).responseCode).toBe('over-ticket-limit');
  const rows = await tickets.world.platform.dataSource.getRepository(TicketCustomerEntity).findBy({ issuerId: REFERENCE_TICKET_ISSUER_ID });
  expect(new Set(rows.map((row) => row.customerNumber)).size).toBe(rows.length);
});

it('lowers the price for a returning customer [1567]', async () => {
  const dave = await tickets.world.user('dave-o');
  await tickets.buyTicket(dave, 'museum-metro-3');
  const again = await order(dave, 'museum-metro-3', '2027-12-31');
  const offer = openPart(tickets.world.platform.envelope, TICKET_SALES_OFFER_TYPE, again.ticketSalesOffer ?? new Uint8Array(), ticketSalesOfferBody, [], () => undefined);
  expect(offer.ok && offer.body.unitPrice.amount).toBe(1080);
});

it('refuses an order for a service code that names no ticket issuer, with nothing sent to the user', async () => {
  const erin = await tickets.world.user('erin-o');
  await expect(tickets.wallet(erin).ordering.order({ issuer: 'iss:ticket:nobody', ticketCode: 'concert-2027', date: '2027-04-10', count: 1, timeoutMs: 1500 })).rejects.toThrow('no ticket order response');
  await waitFor(async () => (await tickets.world.platform.dataSource.getRepository(AuditRecordEntity).findBy({ reason: 'refused' })).some((row) => row.message.includes('names no ticket issuer')), 'the refusal audit');
  expect(await tickets.world.platform.dataSource.getRepository(TicketCustomerEntity).countBy({ userId: 'usr:erin-o' })).toBe(0);
});
