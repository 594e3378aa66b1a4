// Proves a sequence diagram exports as Mermaid `sequenceDiagram` text: participants in the spec's names and order, one
// line per step (messages with signer, addressee and checks, dashed hops, crossed refusals, notes), labels kept safe.
import { describe, expect, it } from '@jest/globals';
import { sequenceToMermaid } from './mermaid-export.js';
import type { SequenceDiagram } from './sequence-model.js';

const diagram: SequenceDiagram = {
  processGroup: 'txn:remote-access:r1',
  lifelines: [
    { key: 'dev:mobile:carol-phone', role: 'Mobile user terminal 100', name: 'carol-phone', side: 'device', rank: 1 },
    { key: 'processor:user', role: 'User processor', name: null, side: 'sp', rank: 20 },
    { key: 'processor:service-manager', role: 'Service manager', name: null, side: 'sp', rank: 22 },
    { key: 'gateway', role: 'Service providing system 110', name: 'gateway', side: 'sp', rank: 10 },
  ],
  steps: [
    { index: 0, seq: 1, at: 1, type: 'remoteAccessRequest', kind: 'message', direction: 'in', from: 'dev:mobile:carol-phone', to: 'processor:user', messageId: 'm1', sender: 'usr:carol', addressee: 'sp:t', signers: ['usr:carol'], sealed: true, verified: true, re: null, transport: 'dev:mobile:carol-phone', fields: {} },
    { index: 1, seq: 2, at: 2, type: 'remoteAccess.requested', kind: 'note', lifeline: 'processor:user', machineKind: 'user-processor', fromState: 'serving', toState: 'serving' },
    { index: 2, seq: 3, at: 3, type: 'process.open', kind: 'hop', from: 'processor:user', to: 'processor:service-manager' },
    { index: 3, seq: 4, at: 4, type: 'remoteAccessData', kind: 'message', direction: 'out', from: 'processor:user', to: 'dev:mobile:carol-phone', messageId: 'm2', sender: 'sp:t', addressee: 'usr:carol', signers: ['sp:t'], sealed: true, verified: false, re: 'm1', transport: 'dev:mobile:carol-phone', fields: {} },
    { index: 4, seq: 5, at: 5, type: 'unknown', kind: 'refusal', from: 'dev:mobile:carol-phone', to: 'gateway', reason: 'malformed', message: 'bad; #1\nsecond line', transport: 'dev:mobile:carol-phone' },
  ],
};

describe('sequenceToMermaid', () => {
  it('writes participants and one line per step, in order', () => {
    expect(sequenceToMermaid(diagram)).toBe(
      [
        'sequenceDiagram',
        '  title txn:remote-access:r1',
        '  participant P0 as Mobile user terminal 100 (carol-phone)',
        '  participant P1 as User processor',
        '  participant P2 as Service manager',
        '  participant P3 as Service providing system 110 (gateway)',
        '  P0->>P1: remoteAccessRequest (signed usr:carol, to sp:t, sealed, verified)',
        '  Note over P1: remoteAccess.requested: serving → serving',
        '  P1-->>P2: process.open',
        '  P1-xP0: remoteAccessData (signed sp:t, to usr:carol, sealed, NOT VERIFIED)',
        '  P0-xP3: REFUSED unknown: malformed - bad, #35;1 second line',
        '',
      ].join('\n'),
    );
  });
});
