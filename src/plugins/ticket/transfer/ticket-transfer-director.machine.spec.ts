// Proves the ticket transfer director asks for the transfer task once, answers user B with 7412 (the ticket, or
// acceptance number 0 on a refusal), keeps no ticket secret in its snapshot, and resumes from a JSON snapshot.
import { describe, expect, it } from '@jest/globals';
import { createActor, type Snapshot } from 'xstate';
import { toBase64 } from '../../../common/bytes.js';
import type { Effect } from '../../../actors/effects.js';
import { encodeCanonical } from '../../../protocol/cbor.js';
import { ticketTransferDirectorMachine, type TicketTransferDirectorInput } from './ticket-transfer-director.machine.js';
import { TRANSFER_TICKET_TASK, type TransferTicketResult } from './transfer-ticket.task.js';

const input: TicketTransferDirectorInput = {
  pg: 'txn:ticket-transfer:0123456789abcdef0123456789abcdef',
  spId: 'sp:t',
  request: { requesterId: 'usr:bob', terminalId: 'dev:mobile:bob-phone', requestId: 'a'.repeat(32), requestedVia: 'request', transferCertificate: toBase64(new Uint8Array([1, 2, 3])) },
};

function run(snapshot?: Snapshot<unknown>) {
  const effects: Effect[] = [];
  const sut = snapshot === undefined ? createActor(ticketTransferDirectorMachine, { input }) : createActor(ticketTransferDirectorMachine, { snapshot, input });
  sut.on('*', (event: Effect) => effects.push(event));
  sut.start();
  return { sut, effects };
}

const completed = (result: TransferTicketResult) => ({ type: 'task.completed' as const, pg: input.pg, task: TRANSFER_TICKET_TASK, result });

describe('ticketTransferDirectorMachine', () => {
  it('runs the transfer task, then sends the ticket transfer 7412 with the ticket to B; the snapshot survives JSON', () => {
    const first = run();
    first.sut.send({ type: 'process.start', pg: input.pg });
    expect(first.effects).toEqual([expect.objectContaining({ type: 'effect.task', task: TRANSFER_TICKET_TASK, key: `${TRANSFER_TICKET_TASK}:${input.pg}`, replyTo: input.pg })]);
    const saved = JSON.parse(JSON.stringify(first.sut.getPersistedSnapshot())) as Snapshot<unknown>;

    const resumed = run(saved);
    const ticket = { ticketId: 't1', signingSecretKey: new Uint8Array(32).fill(7) };
    resumed.sut.send(completed({ ok: true, transferNumber: 'b'.repeat(32), acceptanceNumber: 'c'.repeat(32), transferInformation: toBase64(new Uint8Array([9])), electronicTicket: toBase64(encodeCanonical(ticket)) }));
    expect(resumed.effects).toEqual([
      expect.objectContaining({ type: 'effect.send', channel: 'device', via: 'dev:mobile:bob-phone', to: 'usr:bob', messageType: 'ticketTransfer', re: 'a'.repeat(32), fields: expect.objectContaining({ acceptanceNumber: 'c'.repeat(32), electronicTicket: ticket }) }),
    ]);
    expect(resumed.sut.getSnapshot().status).toBe('done');
    expect(JSON.stringify(resumed.sut.getPersistedSnapshot())).not.toContain(toBase64(encodeCanonical(ticket)));
  });

  it('answers a refusal with acceptance number 0 and no ticket', () => {
    const { sut, effects } = run();
    sut.send({ type: 'process.start', pg: input.pg });
    sut.send(completed({ ok: false, reason: 'already transferred', transferInformation: toBase64(new Uint8Array([5])) }));
    expect(effects.at(-1)).toEqual(expect.objectContaining({ messageType: 'ticketTransfer', fields: expect.objectContaining({ transferNumber: '0', acceptanceNumber: '0', electronicTicket: null }) }));
    expect(sut.getSnapshot().value).toBe('refused');
  });

  it('ignores a second process.start and a foreign task result', () => {
    const { sut, effects } = run();
    sut.send({ type: 'process.start', pg: input.pg });
    sut.send({ type: 'process.start', pg: input.pg });
    sut.send({ type: 'task.completed', pg: input.pg, task: 'other', result: {} });
    expect(effects).toHaveLength(1);
    expect(sut.getSnapshot().value).toBe('transferring');
  });
});
