// Proves the modification director [1717]-[1731] as a pure machine: the plan (gate push and notices), each reaction
// carried out once, the reply time limit as a durable wait that survives a JSON round trip of its snapshot, the
// reading of no reply / a late reply, and the end only once every task it asked for has answered.
import { createActor, type Snapshot } from 'xstate';
import type { Effect } from '../../../actors/effects.js';
import { FORCIBLE_UPDATE_TASK } from '../../../core/data-update/forcible-update-task.js';
import { defaultReaction, modificationDirectorMachine, NO_REQUEST_NUMBER, type ModificationDirectorInput } from './modification-director.machine.js';
import { PLAN_MODIFICATION_TASK, type PlanModificationResult } from './plan-modification.task.js';
import { ACCEPT_MODIFICATION_TASK, REFUSE_MODIFICATION_TASK } from './react-to-modification.task.js';

const pg = 'txn:ticket-modification:abc';
const input: ModificationDirectorInput = { pg, spId: 'sp:main', modification: { requestId: 'a'.repeat(32), issuerId: 'iss:ticket:acme', request: 'AAAA' } };
const deadline = 1_000_000;
const plan = (code: 'template' | 'with-refund' = 'template'): PlanModificationResult => ({
  outcome: 'planned',
  modificationId: 'iss:ticket:acme/m1',
  modificationNumber: 'm1',
  modificationCode: code,
  timeLimit: deadline,
  modificationMessage: Buffer.from('signed').toString('base64'),
  holders: [
    { ticketId: 't1', userId: 'usr:alice', terminalId: 'dev:mobile:alice' },
    { ticketId: 't2', userId: 'usr:bob', terminalId: 'dev:mobile:bob' },
  ],
  gateIds: code === 'template' ? ['dev:gate:g1'] : [],
});

function start(snapshot?: unknown) {
  const effects: Effect[] = [];
  const sut = createActor(modificationDirectorMachine, snapshot === undefined ? { input } : { input, snapshot: snapshot as Snapshot<unknown> });
  sut.on('*', (effect) => effects.push(effect as Effect));
  sut.start();
  return { sut, effects };
}

const roundTrip = (actor: ReturnType<typeof start>) => start(JSON.parse(JSON.stringify(actor.sut.getPersistedSnapshot())));
const reaction = (ticketId: string, userId: string, reactionCode: 'accept' | 'refuse' | 'refund', at: number) => ({ type: 'modification.reaction' as const, pg, requestId: 'b'.repeat(32), ticketId, userId, reactionCode, requestNumber: 'c'.repeat(32), at });

describe('modificationDirectorMachine', () => {
  it('plans, pushes the program to the gates and notifies every holder, then keeps the deadline as data', () => {
    const first = start();
    first.sut.send({ type: 'process.start', pg });
    expect(first.effects).toEqual([expect.objectContaining({ type: 'effect.task', task: PLAN_MODIFICATION_TASK })]);
    expect(first.sut.getSnapshot().context.modification.request).toBe('');
    first.sut.send({ type: 'task.completed', pg, task: PLAN_MODIFICATION_TASK, result: plan() });
    const emitted = first.effects.slice(1);
    expect(emitted[0]).toMatchObject({ type: 'effect.task', task: FORCIBLE_UPDATE_TASK, input: { deviceIds: ['dev:gate:g1'], optionCode: 1 } });
    expect(emitted.slice(1).map((effect) => (effect.type === 'effect.send' ? [effect.messageType, effect.to] : null))).toEqual([
      ['modificationNotice', 'usr:alice'],
      ['modificationNotice', 'usr:bob'],
    ]);
    expect(first.sut.getSnapshot().context.deadlineAt).toBe(deadline);
  });

  it('carries out each reaction once, and reads the time limit as "accept" after a restart', () => {
    const first = start();
    first.sut.send({ type: 'process.start', pg });
    first.sut.send({ type: 'task.completed', pg, task: PLAN_MODIFICATION_TASK, result: plan() });
    first.sut.send(reaction('t1', 'usr:alice', 'refuse', deadline - 1));
    first.sut.send(reaction('t1', 'usr:alice', 'accept', deadline - 1));
    first.sut.send(reaction('t2', 'usr:alice', 'accept', deadline - 1));
    const tasks = first.effects.filter((effect) => effect.type === 'effect.task' && effect.task !== PLAN_MODIFICATION_TASK && effect.task !== FORCIBLE_UPDATE_TASK);
    expect(tasks).toEqual([expect.objectContaining({ task: REFUSE_MODIFICATION_TASK, key: `${REFUSE_MODIFICATION_TASK}:${pg}:t1` })]);

    const restored = roundTrip(first);
    restored.sut.send({ type: 'clock.deadline', at: deadline + 1 });
    expect(restored.effects).toEqual([expect.objectContaining({ type: 'effect.task', task: ACCEPT_MODIFICATION_TASK, input: expect.objectContaining({ ticketId: 't2', requestNumber: NO_REQUEST_NUMBER }) })]);
    restored.sut.send({ type: 'task.completed', pg, task: REFUSE_MODIFICATION_TASK, result: { outcome: 'disabled', ticketId: 't1' } });
    restored.sut.send({ type: 'task.completed', pg, task: ACCEPT_MODIFICATION_TASK, result: { outcome: 'modified', ticketId: 't2', message: Buffer.from([0xa0]).toString('base64') } });
    expect(restored.sut.getSnapshot().value).toBe('awaitingReactions');
    restored.sut.send({ type: 'task.completed', pg, task: FORCIBLE_UPDATE_TASK, result: { processGroups: ['txn:forcible-update:x'] } });
    expect(restored.sut.getSnapshot().value).toBe('completed');
    expect(restored.effects.at(-1)).toMatchObject({ type: 'effect.send', messageType: 'modificationInstruction', to: 'usr:bob' });
  });

  it('treats a reaction after the time limit as the default reading, and opens a refund for "refund"', () => {
    const { sut, effects } = start();
    sut.send({ type: 'process.start', pg });
    sut.send({ type: 'task.completed', pg, task: PLAN_MODIFICATION_TASK, result: plan('with-refund') });
    sut.send(reaction('t1', 'usr:alice', 'accept', deadline + 5));
    sut.send(reaction('t2', 'usr:bob', 'refund', deadline - 5));
    const opened = effects.filter((effect) => effect.type === 'effect.actor').map((effect) => (effect.type === 'effect.actor' ? effect.event['pg'] : null));
    expect(opened).toEqual(['txn:ticket-refund:t1', 'txn:ticket-refund:t2']);
    expect(sut.getSnapshot().value).toBe('completed');
  });

  it('never assumes "refuse": no reply means "accept", or "refund" when the issuer announced one', () => {
    expect(defaultReaction('ticket-information')).toBe('accept');
    expect(defaultReaction('template')).toBe('accept');
    expect(defaultReaction('with-refund')).toBe('refund');
  });

  it('ends as refused when the plan is refused', () => {
    const { sut } = start();
    sut.send({ type: 'process.start', pg });
    sut.send({ type: 'task.completed', pg, task: PLAN_MODIFICATION_TASK, result: { outcome: 'refused', reason: 'no such ticket code' } });
    expect(sut.getSnapshot().value).toBe('refused');
    expect(sut.getSnapshot().context.outcome).toBe('refused: no such ticket code');
  });
});
