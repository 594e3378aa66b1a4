// Proves the ticket purchase director is pure and durable: it asks the issuer, checks the commission by task, opens accounts and clears; a snapshot taken while it waits for the TPS round-trips through JSON and the restored director finishes the purchase; a refused clearing goes to cancellation.
import { createActor, type Snapshot } from 'xstate';
import type { Effect } from '../../../actors/effects.js';
import { ticketPurchaseDirectorMachine, type TicketPurchaseDirectorInput } from './ticket-purchase-director.machine.js';
import { pack } from './director-kit.js';
import { PURCHASE_TASKS } from './purchase-request.js';

const pg = 'txn:ticket-purchase:abc';
const input: TicketPurchaseDirectorInput & { tpsId: string } = {
  pg,
  spId: 'sp:tessera',
  tpsId: 'tps:bank',
  request: { pg, userId: 'usr:alice', deviceId: 'dev:mobile:alice', requestId: 'a'.repeat(32), issuerId: 'iss:ticket:acme', customerNumber: 'c1', offerNumber: 'o1', paymentServiceCode: 'visa', paymentValue: { amount: 4500, currency: 'EUR' }, paymentOptionCode: 'single', requestNumber: 'r1', validUntil: 1e13 },
};
const clearing = { requestNumber: 'usr:alice:r1', transactionNumber: 'iss:ticket:acme:t1', payer: 'card.alice.visa', payee: 'issuer.ticket.acme', amount: { amount: 4500, currency: 'EUR' }, description: 'tickets' };
const reply = (from: string, messageType: string, fields: unknown) => ({ type: 'external.reply' as const, pg, from, re: 'b'.repeat(32), messageType, fields });
const done = (task: string, result: unknown) => ({ type: 'task.completed' as const, pg, task, result });

function start(snapshot?: unknown) {
  const effects: Effect[] = [];
  const sut = snapshot === undefined ? createActor(ticketPurchaseDirectorMachine, { input }) : createActor(ticketPurchaseDirectorMachine, { snapshot: snapshot as Snapshot<unknown>, input });
  sut.on('*', (effect) => effects.push(effect as Effect));
  sut.start();
  return { sut, effects };
}

const toTps = (effects: Effect[]) => effects.flatMap((effect) => (effect.type === 'effect.actor' && effect.event['party'] === 'tps:bank' ? [effect.event['messageType']] : []));

it('clears spontaneously, survives a restart while waiting for the TPS, and completes', () => {
  const { sut, effects } = start();
  sut.send({ type: 'process.start', pg });
  sut.send(reply('iss:ticket:acme', 'electronicTicketIssuingCommission', { transactionNumber: 't1' }));
  expect(effects.at(-1)).toMatchObject({ type: 'effect.task', task: PURCHASE_TASKS.commission });
  sut.send(done(PURCHASE_TASKS.commission, { outcome: 'spontaneous', transactionNumber: 't1', accountsToOpen: [{ account: 'card.alice.visa' }], clearing }));
  expect(toTps(effects)).toEqual(['accountOpenRequest']);
  sut.send(reply('tps:bank', 'accountOpenResponse', { account: 'card.alice.visa', result: 'opened' }));
  expect(toTps(effects)).toEqual(['accountOpenRequest', 'clearingRequest']);
  const persisted = JSON.parse(JSON.stringify(sut.getPersistedSnapshot())) as unknown;
  sut.stop();

  const restored = start(persisted);
  expect(restored.sut.getSnapshot().value).toBe('clearing');
  restored.sut.send(reply('iss:ticket:acme', 'clearingResponse', { result: 'cleared' }));
  expect(restored.sut.getSnapshot().value).toBe('clearing');
  restored.sut.send(reply('tps:bank', 'clearingResponse', { requestNumber: clearing.requestNumber, transactionNumber: clearing.transactionNumber, result: 'cleared', clearingNumber: 7, clearedAt: 1 }));
  restored.sut.send(done(PURCHASE_TASKS.cleared, { outcome: 'cleared', completion: pack({ clearingNumber: 7 }) }));
  restored.sut.send(reply('iss:ticket:acme', 'issuerTicketReceipt', { requestNumber: 'r1' }));
  restored.sut.send(done(PURCHASE_TASKS.receipt, { toUser: [{ messageType: 'electronicTicketIssuing', fields: pack({ n: 1 }) }, { messageType: 'ticketPurchaseReceipt', fields: pack({ n: 2 }) }] }));
  expect(restored.sut.getSnapshot().status).toBe('done');
  expect(restored.effects.filter((effect) => effect.type === 'effect.send').map((effect) => effect.type === 'effect.send' && [effect.messageType, effect.to, effect.via])).toEqual([
    ['electronicTicketIssuing', 'usr:alice', 'dev:mobile:alice'],
    ['ticketPurchaseReceipt', 'usr:alice', 'dev:mobile:alice'],
  ]);
});

it('cancels the commission at the issuer when the clearing is refused', () => {
  const { sut, effects } = start();
  sut.send({ type: 'process.start', pg });
  sut.send(reply('iss:ticket:acme', 'electronicTicketIssuingCommission', {}));
  sut.send(done(PURCHASE_TASKS.commission, { outcome: 'spontaneous', transactionNumber: 't1', accountsToOpen: [], clearing }));
  sut.send(reply('tps:bank', 'clearingResponse', { requestNumber: clearing.requestNumber, transactionNumber: clearing.transactionNumber, result: 'refused', refusal: 'insufficient-funds' }));
  sut.send(done(PURCHASE_TASKS.cleared, { outcome: 'refused', refusal: 'insufficient-funds', cancellation: pack({ requestNumber: 'r1' }) }));
  expect(effects.at(-1)).toMatchObject({ type: 'effect.actor', event: { messageType: 'ticketIssuingCancellation', party: 'iss:ticket:acme' } });
  sut.send(reply('iss:ticket:acme', 'ticketIssuingCancelled', {}));
  expect(effects.at(-1)).toMatchObject({ type: 'effect.task', task: PURCHASE_TASKS.cancelled, input: { responseCode: 'clearing-refused' } });
  sut.send(done(PURCHASE_TASKS.cancelled, { toUser: [{ messageType: 'ticketPurchaseResponse', fields: pack({ responseCode: 'clearing-refused' }) }] }));
  expect(sut.getSnapshot().value).toBe('cancelled');
});
