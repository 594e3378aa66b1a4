import { NodeCryptoBackend } from '../src/protocol/crypto/node-backend.js';

export interface CryptoTally {
  calls: number;
  ns: number;
  readonly byMethod: Map<string, { calls: number; ns: number }>;
}

/** A tally as it crosses the IPC channel from the bench's device process. */
export type CryptoTallyJson = { readonly calls: number; readonly ns: number; readonly byMethod: readonly (readonly [string, { calls: number; ns: number }])[] };

export const tallyToJson = (tally: CryptoTally): CryptoTallyJson => ({ calls: tally.calls, ns: tally.ns, byMethod: [...tally.byMethod.entries()] });
export const tallyFromJson = (json: CryptoTallyJson): CryptoTally => ({ calls: json.calls, ns: json.ns, byMethod: new Map(json.byMethod) });

/**
 * Times every NodeCryptoBackend call in this process while `during` runs, by wrapping the prototype's methods; restores
 * them afterwards. Cryptography is synchronous, so its time is exact (a method calling another is counted once, as the
 * outer call).
 */
export async function tallyCrypto(during: () => Promise<void>): Promise<CryptoTally> {
  const tally: CryptoTally = { calls: 0, ns: 0, byMethod: new Map() };
  const prototype = NodeCryptoBackend.prototype as unknown as Record<string, unknown>;
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  let depth = 0;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const original = prototype[name];
    if (name === 'constructor' || typeof original !== 'function') continue;
    const method = original as (...args: unknown[]) => unknown;
    originals.set(name, method);
    prototype[name] = function (this: unknown, ...args: unknown[]) {
      if (depth > 0) return method.apply(this, args);
      depth += 1;
      const start = process.hrtime.bigint();
      try {
        return method.apply(this, args);
      } finally {
        const ns = Number(process.hrtime.bigint() - start);
        depth -= 1;
        tally.calls += 1;
        tally.ns += ns;
        const entry = tally.byMethod.get(name) ?? { calls: 0, ns: 0 };
        entry.calls += 1;
        entry.ns += ns;
        tally.byMethod.set(name, entry);
      }
    };
  }
  try {
    await during();
  } finally {
    for (const [name, method] of originals) prototype[name] = method;
  }
  return tally;
}
