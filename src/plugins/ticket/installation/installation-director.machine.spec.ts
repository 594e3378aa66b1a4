// Proves the installation director [1699]-[1707] as a pure machine: the card's issuer is found first (a card on no
// list is refused without asking anyone), the issuer's commission has the ticket generated and sent in 7704, and an
// issuer's refusal becomes the installation response with its standard message; the snapshot survives a JSON round trip.
import { createActor, type Snapshot } from 'xstate';
import type { Effect } from '../../../actors/effects.js';
import { pack } from '../purchase/director-kit.js';
import { installationDirectorMachine, type InstallationDirectorInput } from './installation-director.machine.js';
import { INSTALLATION_RESPONSE_MESSAGES } from './installation.messages.js';
import { GENERATE_INSTALLATION_TASK, RESOLVE_INSTALLATION_TASK } from './installation.tasks.js';

const pg = 'txn:ticket-installation:abc';
const issuerId = 'iss:ticket:acme';
const input: InstallationDirectorInput = {
  pg,
  spId: 'sp:main',
  request: { requestId: 'a'.repeat(32), userId: 'usr:alice', terminalId: 'dev:mobile:alice', installationCardNumber: 'ACME-0001', installationNumber: 'SECRET01', requestNumber: 'b'.repeat(32) },
};

function start(snapshot?: unknown) {
  const effects: Effect[] = [];
  const sut = createActor(installationDirectorMachine, snapshot === undefined ? { input } : { input, snapshot: snapshot as Snapshot<unknown> });
  sut.on('*', (effect) => effects.push(effect as Effect));
  sut.start();
  return { sut, effects };
}

const task = (name: string, result: unknown) => ({ type: 'task.completed' as const, pg, task: name, result });
const reply = (from: string, messageType: string, fields: unknown) => ({ type: 'external.reply' as const, pg, messageType, from, re: 'c'.repeat(32), fields });

describe('installationDirectorMachine', () => {
  it('asks the card\'s issuer, has the ticket generated from its commission and sends the installation message 7704', () => {
    const first = start();
    first.sut.send({ type: 'process.start', pg });
    first.sut.send(task(RESOLVE_INSTALLATION_TASK, { outcome: 'found', issuerId, customerNumber: 'c1' }));
    expect(first.effects[1]).toMatchObject({ type: 'effect.actor', event: { type: 'exchange.requested', party: issuerId, messageType: 'ticketInstallationRequest', fields: { installationCardNumber: 'ACME-0001', customerNumber: 'c1', serviceProviderId: 'sp:main' } } });
    const restored = start(JSON.parse(JSON.stringify(first.sut.getPersistedSnapshot())));
    restored.sut.send(reply('iss:ticket:other', 'electronicTicketInstallationCommission', {}));
    expect(restored.sut.getSnapshot().value).toBe('awaitingCommission');
    restored.sut.send(reply(issuerId, 'electronicTicketInstallationCommission', { transactionNumber: 'i1' }));
    expect(restored.effects[0]).toMatchObject({ type: 'effect.task', task: GENERATE_INSTALLATION_TASK, input: { issuerId, commission: { transactionNumber: 'i1' } } });
    restored.sut.send(task(GENERATE_INSTALLATION_TASK, { outcome: 'installed', ticketId: 't1', message: pack({ transactionNumber: 'i1' }) }));
    expect(restored.sut.getSnapshot().value).toBe('installed');
    expect(restored.effects[1]).toMatchObject({ type: 'effect.send', messageType: 'electronicTicketInstallationMessage', to: 'usr:alice', via: 'dev:mobile:alice', re: input.request.requestId, fields: { transactionNumber: 'i1' } });
  });

  it('refuses a card on no installation card list without asking an issuer', () => {
    const { sut, effects } = start();
    sut.send({ type: 'process.start', pg });
    sut.send(task(RESOLVE_INSTALLATION_TASK, { outcome: 'refused', responseCode: 'unknown-card' }));
    expect(sut.getSnapshot().value).toBe('refused');
    expect(effects.map((effect) => effect.type)).toEqual(['effect.task', 'effect.send']);
    expect(effects[1]).toMatchObject({ messageType: 'electronicTicketInstallationResponse', fields: { responseCode: 'unknown-card', responseMessage: INSTALLATION_RESPONSE_MESSAGES['unknown-card'] } });
  });

  it('turns the issuer\'s refusal into the installation response', () => {
    const { sut, effects } = start();
    sut.send({ type: 'process.start', pg });
    sut.send(task(RESOLVE_INSTALLATION_TASK, { outcome: 'found', issuerId, customerNumber: 'c1' }));
    sut.send(reply(issuerId, 'ticketInstallationRefusal', { responseCode: 'card-used' }));
    expect(sut.getSnapshot().value).toBe('refused');
    expect(effects.at(-1)).toMatchObject({ messageType: 'electronicTicketInstallationResponse', fields: { responseCode: 'card-used' } });
  });
});
