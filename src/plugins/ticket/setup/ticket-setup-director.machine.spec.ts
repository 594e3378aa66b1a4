// Proves the ticket setup director [1632]: it asks for the merchant list check as a task, then sends 6602 or the
// refusal to the gate that asked, and survives a JSON round trip of its snapshot mid-wait.
import { createActor, type Snapshot } from 'xstate';
import type { Effect } from '../../../actors/effects.js';
import { PREPARE_TICKET_SETUP_TASK, type PrepareTicketSetupResult } from './prepare-ticket-setup.task.js';
import { ticketSetupDirectorMachine, type TicketSetupDirectorInput } from './ticket-setup-director.machine.js';

const input: TicketSetupDirectorInput = { pg: 'txn:ticket-setup:abc', spId: 'sp:main', request: { requestId: 'a'.repeat(32), gateId: 'dev:gate:g1', merchantId: 'mer:arena', ticketCode: 'show' } };
const setupResult: PrepareTicketSetupResult = {
  outcome: 'setup',
  fields: {
    ticketName: 'Show',
    ticketCode: 'show',
    issuerId: 'iss:ticket:arena',
    validityTerm: { validFrom: 1, validUntil: 2 },
    gatePrivateKey: Buffer.from('sealed').toString('base64'),
    ticketPublicKey: Buffer.alloc(32, 7).toString('base64'),
    ticketExaminationModule: { moduleId: 'ticket.examination', version: '1', templateCode: 'admission.single-v1', instruction: 'enter', issuerSigningPublicKey: null },
    serviceProviderId: 'sp:main',
  },
};

function start(snapshot?: unknown) {
  const effects: Effect[] = [];
  const sut = snapshot === undefined ? createActor(ticketSetupDirectorMachine, { input }) : createActor(ticketSetupDirectorMachine, { input, snapshot: snapshot as Snapshot<unknown> });
  sut.on('*', (effect) => effects.push(effect as Effect));
  sut.start();
  return { sut, effects };
}

describe('ticketSetupDirectorMachine', () => {
  it('asks for the merchant list check, then sends the ticket setup message to the gate (after a snapshot round trip)', () => {
    const first = start();
    first.sut.send({ type: 'process.start', pg: input.pg });
    expect(first.effects).toEqual([expect.objectContaining({ type: 'effect.task', task: PREPARE_TICKET_SETUP_TASK, key: `${PREPARE_TICKET_SETUP_TASK}:${input.pg}` })]);
    const restored = start(JSON.parse(JSON.stringify(first.sut.getPersistedSnapshot())));
    restored.sut.send({ type: 'task.completed', pg: input.pg, task: PREPARE_TICKET_SETUP_TASK, result: setupResult });
    expect(restored.sut.getSnapshot().value).toBe('setUp');
    const [sent] = restored.effects;
    expect(sent).toMatchObject({ type: 'effect.send', channel: 'device', via: 'dev:gate:g1', to: 'dev:gate:g1', messageType: 'ticketSetup', re: input.request.requestId });
    expect((sent as { fields: { ticketPublicKey: Uint8Array } }).fields.ticketPublicKey).toBeInstanceOf(Uint8Array);
  });

  it('sends the refusal when the merchant is not on the merchant list', () => {
    const { sut, effects } = start();
    sut.send({ type: 'process.start', pg: input.pg });
    sut.send({ type: 'task.completed', pg: input.pg, task: PREPARE_TICKET_SETUP_TASK, result: { outcome: 'refused', reason: 'not on the merchant list' } });
    expect(sut.getSnapshot().value).toBe('refused');
    expect(effects[1]).toMatchObject({ messageType: 'ticketSetupRefused', fields: { ticketCode: 'show', reason: 'not on the merchant list' } });
  });
});
