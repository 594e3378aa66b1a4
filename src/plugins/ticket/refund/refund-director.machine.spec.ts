// Proves the refund director [1735]-[1766] as a pure machine: a used ticket is refused before the issuer is asked; the
// delayed path waits for the daily batch with its deadline as data (surviving a JSON round trip of its snapshot),
// retries a refused batch clearing under a new request number, and keeps the final receipt for the data update; an
// immediate clearing the processor refuses falls back to the batch with a temporary receipt.
import { createActor, type Snapshot } from 'xstate';
import type { Effect } from '../../../actors/effects.js';
import { pack } from '../purchase/director-kit.js';
import { nextRefundBatchAt } from './refund-batch.js';
import { refundDirectorMachine, type RefundDirectorInput } from './refund-director.machine.js';
import { REFUND_TASKS } from './refund-request.js';

const pg = 'txn:ticket-refund:t1';
const issuerId = 'iss:ticket:acme';
const tpsId = 'tps:bank';
const input: RefundDirectorInput = {
  pg,
  spId: 'sp:main',
  refund: { modificationId: `${issuerId}/m1`, modificationNumber: 'm1', issuerId, ticketId: 't1', userId: 'usr:alice', terminalId: 'dev:mobile:alice', requestId: 'a'.repeat(32), modificationPg: 'txn:ticket-modification:x' },
};
const requestNumber = 'b'.repeat(32);
const clearing = { transactionNumber: `${issuerId}:t9`, amount: { amount: 1200, currency: 'EUR' } };
const at = Date.UTC(2027, 0, 1, 12);

function start(snapshot?: unknown) {
  const effects: Effect[] = [];
  const sut = createActor(refundDirectorMachine, snapshot === undefined ? { input } : { input, snapshot: snapshot as Snapshot<unknown> });
  sut.on('*', (effect) => effects.push(effect as Effect));
  sut.start();
  return { sut, effects };
}

const task = (name: string, result: unknown) => ({ type: 'task.completed' as const, pg, task: name, result });
/** The actor system stamps every event with the time it is handled at. */
const stamped = <E extends object>(event: E, time: number): E => Object.assign(event, { at: time });
const reply = (from: string, messageType: string, fields: unknown) => ({ type: 'external.reply' as const, pg, messageType, from, re: 'c'.repeat(32), fields });
const exchanged = (effects: Effect[]) => effects.flatMap((effect) => (effect.type === 'effect.actor' && effect.event.type === 'exchange.requested' ? [effect.event as unknown as { messageType: string; fields: Record<string, unknown> }] : []));
const sent = (effects: Effect[]) => effects.flatMap((effect) => (effect.type === 'effect.send' ? [effect.messageType] : []));

function commissioned(option: 'immediate' | 'delayed', transferred?: { account: string }) {
  const actor = start();
  actor.sut.send({ type: 'process.start', pg });
  actor.sut.send(task(REFUND_TASKS.prepare, { outcome: 'requested', requestNumber, customerNumber: 'c1' }));
  actor.sut.send(reply(issuerId, 'refundCommission', { transactionNumber: 'r1', refundAmount: clearing.amount, clearingOption: option, ticketId: 't1', requestNumber, ticketIssuerId: issuerId }));
  const temporary = pack({ userId: 'usr:alice' });
  const plan = transferred === undefined ? { clearing, accountsToOpen: [], tpsId } : { clearing: { ...clearing, userClearingAccount: transferred.account }, accountsToOpen: [{ requestNumber: `open:${transferred.account}`, account: transferred.account }], tpsId };
  actor.sut.send(stamped(task(REFUND_TASKS.commissioned, option === 'delayed' ? { outcome: 'delayed', temporaryReceipt: temporary, ...plan } : { outcome: 'immediate', ...plan }), at));
  return actor;
}

describe('refundDirectorMachine', () => {
  it('refuses a used ticket without asking the issuer', () => {
    const { sut, effects } = start();
    sut.send({ type: 'process.start', pg });
    sut.send(task(REFUND_TASKS.prepare, { outcome: 'refused', responseCode: 'ticket-used' }));
    expect(sut.getSnapshot().value).toBe('refused');
    expect(exchanged(effects)).toEqual([]);
    expect(effects.at(-1)).toMatchObject({ messageType: 'refundRefusal', to: 'usr:alice', fields: { responseCode: 'ticket-used', ticketId: 't1' } });
  });

  it('clears at once on the immediate path and sends the refund receipt 8211', () => {
    const { sut, effects } = commissioned('immediate');
    expect(exchanged(effects).map((event) => event.messageType)).toEqual(['refundRequest', 'refundClearingRequest']);
    sut.send(reply(tpsId, 'refundClearingResponse', { requestNumber: `refund:${requestNumber}.1`, transactionNumber: clearing.transactionNumber, result: 'cleared', clearingNumber: 7, clearedAt: at, refundable: { amount: 0, currency: 'EUR' } }));
    sut.send(task(REFUND_TASKS.cleared, { fields: pack({ clearingNumber: 7 }) }));
    sut.send(reply(issuerId, 'refundReceipt', { requestNumber }));
    sut.send(task(REFUND_TASKS.receipted, { outcome: 'receipted', deliverNow: true, receipt: pack({ userId: 'usr:alice' }) }));
    expect(sut.getSnapshot().value).toBe('refunded');
    expect(sent(effects)).toEqual(['userRefundReceipt']);
  });

  it('falls back to the batch with a temporary receipt when the immediate clearing is refused', () => {
    const { sut, effects } = commissioned('immediate');
    sut.send(reply(tpsId, 'refundClearingResponse', { requestNumber: `refund:${requestNumber}.1`, transactionNumber: clearing.transactionNumber, result: 'refused', refusal: 'unknown-transaction' }));
    expect(sut.getSnapshot().value).toBe('deferring');
    sut.send(stamped(task(REFUND_TASKS.defer, { fields: pack({ userId: 'usr:alice' }) }), at));
    expect(sut.getSnapshot().value).toBe('awaitingBatch');
    expect(sent(effects)).toEqual(['temporaryRefundReceipt']);
  });

  it('waits for the daily batch across a restart, retries a refused clearing, and keeps the final receipt for the data update', () => {
    const first = commissioned('delayed');
    expect(first.sut.getSnapshot().value).toBe('awaitingBatch');
    expect(first.sut.getSnapshot().context.deadlineAt).toBe(nextRefundBatchAt(at));
    expect(sent(first.effects)).toEqual(['temporaryRefundReceipt']);

    const restored = start(JSON.parse(JSON.stringify(first.sut.getPersistedSnapshot())));
    restored.sut.send({ type: 'clock.deadline', at: nextRefundBatchAt(at) });
    restored.sut.send(reply(tpsId, 'refundClearingResponse', { requestNumber: `refund:${requestNumber}.1`, transactionNumber: clearing.transactionNumber, result: 'refused', refusal: 'unknown-transaction' }));
    expect(restored.sut.getSnapshot().value).toBe('awaitingBatch');
    restored.sut.send({ type: 'refund.batch.due', pg, at: at + 1 });
    const requests = exchanged(restored.effects).filter((event) => event.messageType === 'refundClearingRequest').map((event) => event.fields['requestNumber']);
    expect(requests).toEqual([`refund:${requestNumber}.1`, `refund:${requestNumber}.2`]);
    restored.sut.send(reply(tpsId, 'refundClearingResponse', { requestNumber: `refund:${requestNumber}.2`, transactionNumber: clearing.transactionNumber, result: 'cleared', clearingNumber: 8, clearedAt: at, refundable: { amount: 0, currency: 'EUR' } }));
    restored.sut.send(task(REFUND_TASKS.cleared, { fields: pack({ clearingNumber: 8 }) }));
    restored.sut.send(reply(issuerId, 'refundReceipt', { requestNumber }));
    restored.sut.send(task(REFUND_TASKS.receipted, { outcome: 'receipted', deliverNow: false, receipt: pack({}) }));
    expect(restored.sut.getSnapshot().value).toBe('refunded');
    expect(sent(restored.effects)).toEqual([]);
  });

  it('opens the holder\'s card account of a transferred ticket before the refund clearing that credits it', () => {
    const { sut, effects } = commissioned('immediate', { account: 'card.bob.visa' });
    expect(sut.getSnapshot().value).toBe('openingAccounts');
    expect(exchanged(effects).map((event) => event.messageType)).toEqual(['refundRequest', 'accountOpenRequest']);
    sut.send(stamped(reply(tpsId, 'accountOpenResponse', { requestNumber: 'open:card.bob.visa', account: 'card.bob.visa', result: 'opened', balance: { amount: 0, currency: 'EUR' } }), at));
    expect(sut.getSnapshot().value).toBe('clearing');
    expect(exchanged(effects).at(-1)).toMatchObject({ messageType: 'refundClearingRequest', fields: { transactionNumber: clearing.transactionNumber, userClearingAccount: 'card.bob.visa', validUntil: at + 3600_000 } });
  });

  it('on the delayed path, opens the holder\'s account at once and names it in the batch clearing', () => {
    const { sut, effects } = commissioned('delayed', { account: 'card.bob.visa' });
    expect(sut.getSnapshot().value).toBe('awaitingBatch');
    sut.send(reply(tpsId, 'accountOpenResponse', { requestNumber: 'open:card.bob.visa', account: 'card.bob.visa', result: 'refused', refusal: 'account-exists' }));
    sut.send({ type: 'refund.batch.due', pg, at: at + 1 });
    expect(sut.getSnapshot().value).toBe('clearing');
    expect(exchanged(effects).map((event) => event.messageType)).toEqual(['refundRequest', 'accountOpenRequest', 'refundClearingRequest']);
    expect(exchanged(effects).at(-1)?.fields).toMatchObject({ requestNumber: `refund:${requestNumber}.1`, userClearingAccount: 'card.bob.visa' });
  });

  it('runs the daily batch at 02:00 UTC', () => {
    expect(nextRefundBatchAt(Date.UTC(2027, 0, 1, 1))).toBe(Date.UTC(2027, 0, 1, 2));
    expect(nextRefundBatchAt(Date.UTC(2027, 0, 1, 2))).toBe(Date.UTC(2027, 0, 2, 2));
  });
});
