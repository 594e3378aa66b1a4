// Proves a process group's trace maps to a sequence diagram in the spec's terms: lifelines named and ordered as the
// spec's figures, message arrows from sender to addressee with signers and checks, hops between processors, refusals.
import { describe, expect, it } from '@jest/globals';
import type { StoredInspectionRecord } from '../inspection-log.js';
import { lifelineOf } from './lifelines.js';
import { sequenceOf, type SequenceStep } from './sequence-model.js';

const pg = 'txn:remote-access:r1';
let seq = 0;
const record = (kind: StoredInspectionRecord['kind'], actorId: string, type: string, detail: Record<string, unknown>, processGroup = pg): StoredInspectionRecord => ({
  seq: ++seq,
  at: 1_000 + seq,
  processGroup,
  actorId,
  kind,
  type,
  detail,
});
const message = (from: string, to: string, transport: string, extra: Record<string, unknown> = {}) => ({ id: `m${seq}`, from, to, issuedAt: 1, re: null, signers: [from], sealed: true, verified: true, transport, fields: { dataAddress: 'iss:ticket:acme/seats' }, ...extra });

/** The trace of a remote access whose data an issuer holds, as the platform records it (see test/integration/remote-access). */
const directorTrace = (): StoredInspectionRecord[] => [
  record('message-in', 'processor:user', 'remoteAccessRequest', message('usr:carol', 'sp:t', 'dev:mobile:carol-phone')),
  record('transition', 'processor:user', 'remoteAccess.requested', { kind: 'user-processor', from: 'serving', to: 'serving' }),
  record('transition', 'processor:service-manager', 'process.open', { kind: 'service-manager', from: 'managing', to: 'managing' }),
  record('transition', pg, 'process.start', { kind: 'director:remote-access', from: 'starting', to: 'awaitingRemoteData' }),
  record('transition', 'processor:ticket-issuer', 'exchange.requested', { kind: 'ticket-issuer-processor', from: 'relaying', to: 'relaying' }),
  record('message-out', 'outbox:iss:ticket:acme', 'remoteDataRequest', message('sp:t', 'iss:ticket:acme', 'iss:ticket:acme')),
  record('message-in', pg, 'remoteDataResponse', message('iss:ticket:acme', 'sp:t', 'external')),
  record('transition', pg, 'external.reply', { kind: 'director:remote-access', from: 'awaitingRemoteData', to: 'completed' }),
  record('message-out', 'outbox:dev:mobile:carol-phone', 'remoteAccessData', message('sp:t', 'usr:carol', 'dev:mobile:carol-phone')),
];

const arrows = (steps: readonly SequenceStep[]) => steps.map((step) => (step.kind === 'note' ? `note ${step.lifeline}: ${step.type}` : `${step.kind} ${step.from} -> ${step.to}: ${step.type}`));

describe('lifelineOf', () => {
  it.each([
    ['dev:mobile:alice-phone', 'Mobile user terminal 100', 'alice-phone', 'device'],
    ['dev:gate:g1', 'Gate terminal 101', 'g1', 'device'],
    ['dev:merchant:till', 'Merchant terminal 102', 'till', 'device'],
    ['dev:vending:v1', 'Accounting machine 3555', 'v1', 'device'],
    ['dev:phone-accounting:s1', 'Telephone card accounting machine 800', 's1', 'device'],
    ['processor:user', 'User processor', null, 'sp'],
    ['processor:merchant', 'Merchant processor', null, 'sp'],
    ['processor:service-manager', 'Service manager', null, 'sp'],
    ['txn:ticket-purchase:9', 'Service director', 'ticket-purchase', 'sp'],
    ['processor:ticket-issuer', 'Ticket issuer processor', null, 'sp'],
    ['processor:transaction-processor', 'Transaction processor processor', null, 'sp'],
    ['outbox:iss:ticket:acme', 'Ticket issuing system 107', 'acme', 'external'],
    ['iss:payment-card:bank', 'Payment card issuing system 108', 'bank', 'external'],
    ['tps:reference', 'Transaction processing system 106', 'reference', 'external'],
    ['outbox:dev:mobile:carol-phone', 'Mobile user terminal 100', 'carol-phone', 'device'],
    ['gateway:dev:gate:g1', 'Service providing system 110', 'gateway', 'sp'],
  ])('names %s as the spec does', (address, role, name, side) => {
    expect(lifelineOf(address)).toMatchObject({ role, name, side });
  });
});

describe('sequenceOf', () => {
  it('draws a remote access through a service director as the spec draws it, in order', () => {
    const diagram = sequenceOf(pg, directorTrace());
    expect(diagram.lifelines.map((lifeline) => lifeline.role)).toEqual([
      'Mobile user terminal 100',
      'User processor',
      'Service manager',
      'Service director',
      'Ticket issuer processor',
      'Ticket issuing system 107',
    ]);
    expect(arrows(diagram.steps)).toEqual([
      'message dev:mobile:carol-phone -> processor:user: remoteAccessRequest',
      'note processor:user: remoteAccess.requested',
      'hop processor:user -> processor:service-manager: process.open',
      'note processor:service-manager: process.open',
      `hop processor:service-manager -> ${pg}: process.start`,
      `note ${pg}: process.start`,
      `hop ${pg} -> processor:ticket-issuer: exchange.requested`,
      'note processor:ticket-issuer: exchange.requested',
      'message processor:ticket-issuer -> iss:ticket:acme: remoteDataRequest',
      `message iss:ticket:acme -> ${pg}: remoteDataResponse`,
      `note ${pg}: external.reply`,
      `message ${pg} -> dev:mobile:carol-phone: remoteAccessData`,
    ]);
    expect(diagram.steps.map((step) => step.index)).toEqual(diagram.steps.map((_, index) => index));
  });

  it('keeps what each arrow needs: signer, addressee, sealed, verified, fields; and each transition from and to', () => {
    const diagram = sequenceOf(pg, directorTrace());
    expect(diagram.steps[0]).toMatchObject({ kind: 'message', direction: 'in', sender: 'usr:carol', addressee: 'sp:t', signers: ['usr:carol'], sealed: true, verified: true, fields: { dataAddress: 'iss:ticket:acme/seats' } });
    expect(diagram.steps.at(-1)).toMatchObject({ kind: 'message', direction: 'out', addressee: 'usr:carol', transport: 'dev:mobile:carol-phone' });
    expect(diagram.steps[10]).toMatchObject({ kind: 'note', machineKind: 'director:remote-access', fromState: 'awaitingRemoteData', toState: 'completed' });
  });

  it('answers from the user processor when the service provider holds the data (no hop, no director)', () => {
    const local = 'txn:remote-access:local';
    const diagram = sequenceOf(local, [
      record('message-in', 'processor:user', 'remoteAccessRequest', message('usr:alice', 'sp:t', 'dev:mobile:alice-phone'), local),
      record('transition', 'processor:user', 'remoteAccess.requested', { kind: 'user-processor', from: 'serving', to: 'serving' }, local),
      record('message-out', 'outbox:dev:mobile:alice-phone', 'remoteAccessData', message('sp:t', 'usr:alice', 'dev:mobile:alice-phone'), local),
    ]);
    expect(arrows(diagram.steps)).toEqual(['message dev:mobile:alice-phone -> processor:user: remoteAccessRequest', 'note processor:user: remoteAccess.requested', 'message processor:user -> dev:mobile:alice-phone: remoteAccessData']);
  });

  it('draws a refusal from the device to the service providing system, with its reason', () => {
    const refusals = 'refusals:dev:gate:g1';
    const diagram = sequenceOf(refusals, [record('refusal', 'gateway:dev:gate:g1', 'unknown', { reason: 'malformed', message: 'not CBOR', transport: 'dev:gate:g1' }, refusals)]);
    expect(diagram.lifelines.map((lifeline) => lifeline.key)).toEqual(['dev:gate:g1', 'gateway']);
    const [step] = diagram.steps;
    expect(typeof step?.seq).toBe('number');
    expect(typeof step?.at).toBe('number');
    expect(diagram.steps).toEqual([{ index: 0, seq: step?.seq, at: step?.at, type: 'unknown', kind: 'refusal', from: 'dev:gate:g1', to: 'gateway', reason: 'malformed', message: 'not CBOR', transport: 'dev:gate:g1' }]);
  });

  it('orders steps by trace sequence whatever order the rows come in', () => {
    const trace = directorTrace();
    expect(arrows(sequenceOf(pg, [...trace].reverse()).steps)).toEqual(arrows(sequenceOf(pg, trace).steps));
  });
});
