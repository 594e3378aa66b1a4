import { parseId } from '../../protocol/ids.js';

export type LifelineSide = 'device' | 'sp' | 'external';

/** A party of a sequence diagram, named as the spec's figures name it. */
export interface Lifeline {
  /** What identifies it in the trace: a device, processor, director (process group), party, or the gateway. */
  readonly key: string;
  /** The spec's name: "Mobile user terminal 100", "User processor", "Ticket issuing system 107"... */
  readonly role: string;
  /** Which one of its kind (a device or party name, a director's process), when the role does not say. */
  readonly name: string | null;
  readonly side: LifelineSide;
  /** Left-to-right order in the spec's figures: terminals, then the service providing system, then outside systems. */
  readonly rank: number;
}

const PROCESSORS: Readonly<Record<string, { role: string; rank: number }>> = {
  'processor:user': { role: 'User processor', rank: 20 },
  'processor:merchant': { role: 'Merchant processor', rank: 21 },
  'processor:service-manager': { role: 'Service manager', rank: 22 },
  'processor:ticket-issuer': { role: 'Ticket issuer processor', rank: 24 },
  'processor:payment-card-issuer': { role: 'Payment card issuer processor', rank: 25 },
  'processor:phone-card-issuer': { role: 'Telephone card issuer processor', rank: 26 },
  'processor:transaction-processor': { role: 'Transaction processor processor', rank: 27 },
};

const DEVICES: Readonly<Record<string, { role: string; rank: number }>> = {
  mobile: { role: 'Mobile user terminal 100', rank: 1 },
  gate: { role: 'Gate terminal 101', rank: 2 },
  merchant: { role: 'Merchant terminal 102', rank: 3 },
  vending: { role: 'Accounting machine 3555', rank: 4 },
  'phone-accounting': { role: 'Telephone card accounting machine 800', rank: 5 },
};

const ISSUING_SYSTEMS: Readonly<Record<string, { role: string; rank: number }>> = {
  ticket: { role: 'Ticket issuing system 107', rank: 31 },
  'payment-card': { role: 'Payment card issuing system 108', rank: 32 },
  'phone-card': { role: 'Telephone card issuing system 109', rank: 33 },
};

/** The service providing system's boundary, where refusals happen. */
export const GATEWAY_LIFELINE: Lifeline = { key: 'gateway', role: 'Service providing system 110', name: 'gateway', side: 'sp', rank: 10 };

/** The rest of the service providing system, when the trace does not say which processor sent a message. */
export const SP_LIFELINE: Lifeline = { key: 'sp', role: 'Service providing system 110', name: null, side: 'sp', rank: 19 };

/**
 * The lifeline of a trace address: an actor ID (`processor:user`, `txn:...` for a service director), an outbox hop
 * (`outbox:<destination>`), a refusal hop (`gateway:<device>`), or a party or device ID.
 */
export function lifelineOf(address: string): Lifeline {
  if (address.startsWith('outbox:')) return lifelineOf(address.slice('outbox:'.length));
  if (address.startsWith('gateway:')) return GATEWAY_LIFELINE;
  const processor = PROCESSORS[address];
  if (processor !== undefined) return { key: address, role: processor.role, name: null, side: 'sp', rank: processor.rank };
  const parsed = parseId(address);
  switch (parsed?.kind) {
    case 'dev': {
      const device = DEVICES[parsed.deviceKind] ?? { role: 'Terminal', rank: 6 };
      return { key: address, role: device.role, name: parsed.name, side: 'device', rank: device.rank };
    }
    case 'txn':
      return { key: address, role: 'Service director', name: parsed.process, side: 'sp', rank: 23 };
    case 'iss': {
      const system = ISSUING_SYSTEMS[parsed.service] ?? { role: 'Issuing system', rank: 34 };
      return { key: address, role: system.role, name: parsed.name, side: 'external', rank: system.rank };
    }
    case 'tps':
      return { key: address, role: 'Transaction processing system 106', name: parsed.name, side: 'external', rank: 30 };
    case 'sp':
      return SP_LIFELINE;
    case 'usr':
      return { key: address, role: 'User', name: parsed.name, side: 'device', rank: 0 };
    case 'mer':
      return { key: address, role: 'Merchant', name: parsed.name, side: 'device', rank: 7 };
    case 'csp':
      return { key: address, role: 'Communication service provider', name: parsed.name, side: 'device', rank: 8 };
    case undefined:
      return { key: address, role: address, name: null, side: 'sp', rank: 28 };
  }
}
