import { z } from 'zod';
import { ManualClock } from '../src/common/clock.js';
import { encodeCanonical } from '../src/protocol/cbor.js';
import { MessageCodec, type KeyDirectory, type KeyLookup, type ReplayGuard } from '../src/protocol/codec.js';
import { generatePrincipalKeys, type CryptoBackend } from '../src/protocol/crypto/crypto-backend.js';
import { NobleCryptoBackend } from '../src/protocol/crypto/noble-backend.js';
import { NodeCryptoBackend } from '../src/protocol/crypto/node-backend.js';
import { Envelope } from '../src/protocol/envelope.js';
import { ids } from '../src/protocol/ids.js';
import { defineMessage, money } from '../src/protocol/message.js';
import { MessageRegistry } from '../src/protocol/message-registry.js';
import { measure, measurePaired, printTable, type BenchModule, type Budget, type Measurement } from './bench-kit.js';

const PAYLOAD_BYTES = 256;
/** The envelope may cost at most this much more than the primitives it is built from. */
const OVERHEAD_TARGET_PERCENT = 30;
const PRIMITIVE_BUDGET: Budget = { maxOps: 20_000, maxMs: 250, warmupOps: 20 };
/** Envelope operations are timed against their primitives in one loop, longer, as the comparison is the point. */
const PAIRED_BUDGET: Budget = { maxOps: 5_000, maxMs: 1_200, warmupOps: 20 };
const SENDER = ids.user('bench-sender');
const RECIPIENT = ids.sp('bench');

const benchOrder = defineMessage({
  type: 'benchOrder',
  ref: 'bench',
  sealed: true,
  fields: z.object({ orderNumber: z.number().int().nonnegative(), amount: money, note: z.string() }).strict(),
});

/** A note long enough that the encoded message (header and fields) is PAYLOAD_BYTES long, like a typical order. */
function noteForTypicalMessage(): string {
  const shape = (note: string) => ({
    v: 1,
    type: benchOrder.type,
    id: '0'.repeat(32),
    from: SENDER,
    to: RECIPIENT,
    issuedAt: Date.UTC(2026, 0, 1),
    fields: { orderNumber: 100_000, amount: { amount: 1250, currency: 'EUR' }, note },
  });
  let note = '';
  while (encodeCanonical(shape(note)).length < PAYLOAD_BYTES && note.length < PAYLOAD_BYTES) note += 'x';
  return note;
}

class BenchKeyDirectory implements KeyDirectory {
  constructor(private readonly entries: ReadonlyMap<string, Uint8Array>) {}
  signingKey(kid: string): KeyLookup {
    const publicKey = this.entries.get(kid);
    return publicKey === undefined ? { usable: false, reason: 'unknown-principal' } : { usable: true, publicKey, holder: kid };
  }
}

class BenchReplayGuard implements ReplayGuard {
  private readonly seen = new Set<string>();
  remember(scope: string, key: string): boolean {
    const entry = `${scope}\u0000${key}`;
    if (this.seen.has(entry)) return false;
    this.seen.add(entry);
    return true;
  }
}

interface BackendFigures {
  readonly rows: readonly Measurement[];
  readonly compose: readonly [Measurement, Measurement];
  readonly receive: readonly [Measurement, Measurement];
}

/** Pre-drawn inputs, so that random generation is not timed and every call sees fresh bytes, as it would in service. */
const pool = (crypto: CryptoBackend, count: number, length: number): Uint8Array[] => Array.from({ length: count }, () => crypto.randomBytes(length));
const at = (items: readonly Uint8Array[], index: number): Uint8Array => items[index % items.length] ?? new Uint8Array();

/** Keys and inputs shared by the primitive and envelope measurements of one backend. */
function material(crypto: CryptoBackend) {
  const sender = generatePrincipalKeys(crypto);
  const recipient = generatePrincipalKeys(crypto);
  const payload = crypto.randomBytes(PAYLOAD_BYTES);
  const aeadKey = crypto.randomBytes(32);
  const nonce = crypto.randomBytes(12);
  const aad = crypto.randomBytes(40);
  return {
    sender,
    recipient,
    payload,
    signature: crypto.ed25519Sign(payload, sender.signing.secretKey),
    aeadKey,
    nonce,
    aad,
    sealedPayload: crypto.aeadSeal(aeadKey, nonce, payload, aad),
    salt: crypto.randomBytes(64),
    info: new TextEncoder().encode('tessera/1/seal'),
  };
}

type Material = ReturnType<typeof material>;

/**
 * Ephemeral secrets (sender side) and peer public keys (receiver side), new at every call as in service: the node
 * backend caches parsed keys, so a measurement that met the same bytes twice would time a cache hit. Each loop draws
 * its own.
 */
function freshKeys(crypto: CryptoBackend, count: number) {
  // Any 32 bytes are an X25519 public key.
  return { ephemeralSecrets: pool(crypto, count, 32), inboundPublics: pool(crypto, count, 32) };
}

type FreshKeys = ReturnType<typeof freshKeys>;

/** What sign+seal is built from: one signature, an ephemeral key and its agreement, one HKDF, one AEAD seal. */
function composePrimitives(crypto: CryptoBackend, m: Material, fresh: FreshKeys, index: number): Uint8Array {
  crypto.ed25519Sign(m.payload, m.sender.signing.secretKey);
  const ephemeral = at(fresh.ephemeralSecrets, index);
  crypto.x25519PublicKey(ephemeral);
  const shared = crypto.x25519SharedSecret(ephemeral, m.recipient.sealing.publicKey);
  return crypto.aeadSeal(crypto.hkdfSha256(shared, m.salt, m.info, 32), m.nonce, m.payload, m.aad);
}

/** What open+verify is built from: one agreement with a new ephemeral key, one HKDF, one AEAD open, one verify, one digest. */
function receivePrimitives(crypto: CryptoBackend, m: Material, fresh: FreshKeys, index: number): Uint8Array {
  const shared = crypto.x25519SharedSecret(m.recipient.sealing.secretKey, at(fresh.inboundPublics, index));
  crypto.hkdfSha256(shared, m.salt, m.info, 32);
  crypto.aeadOpen(m.aeadKey, m.nonce, m.sealedPayload, m.aad);
  crypto.ed25519Verify(m.signature, m.payload, m.sender.signing.publicKey);
  return crypto.sha256(m.payload);
}

function measurePrimitives(crypto: CryptoBackend, m: Material): Measurement[] {
  const fresh = freshKeys(crypto, PRIMITIVE_BUDGET.maxOps + PRIMITIVE_BUDGET.warmupOps);
  return [
    measure('ed25519 sign', () => crypto.ed25519Sign(m.payload, m.sender.signing.secretKey), PRIMITIVE_BUDGET),
    measure('ed25519 verify', () => crypto.ed25519Verify(m.signature, m.payload, m.sender.signing.publicKey), PRIMITIVE_BUDGET),
    measure('x25519 keygen+shared', (i) => {
      const ephemeral = at(fresh.ephemeralSecrets, i);
      crypto.x25519PublicKey(ephemeral);
      return crypto.x25519SharedSecret(ephemeral, m.recipient.sealing.publicKey);
    }, PRIMITIVE_BUDGET),
    measure('x25519 shared (new peer key)', (i) => crypto.x25519SharedSecret(m.recipient.sealing.secretKey, at(fresh.inboundPublics, i)), PRIMITIVE_BUDGET),
    measure('hkdf-sha256 32 B', () => crypto.hkdfSha256(m.aeadKey, m.salt, m.info, 32), PRIMITIVE_BUDGET),
    measure(`aead seal ${PAYLOAD_BYTES} B`, () => crypto.aeadSeal(m.aeadKey, m.nonce, m.payload, m.aad), PRIMITIVE_BUDGET),
    measure(`aead open ${PAYLOAD_BYTES} B`, () => crypto.aeadOpen(m.aeadKey, m.nonce, m.sealedPayload, m.aad), PRIMITIVE_BUDGET),
    measure(`sha256 ${PAYLOAD_BYTES} B`, () => crypto.sha256(m.payload), PRIMITIVE_BUDGET),
  ];
}

async function measureBackend(crypto: CryptoBackend): Promise<BackendFigures> {
  const m = material(crypto);
  const primitives = measurePrimitives(crypto, m);
  const fresh = freshKeys(crypto, PAIRED_BUDGET.maxOps + PAIRED_BUDGET.warmupOps);
  const codec = new MessageCodec(new Envelope(crypto), new MessageRegistry().register(benchOrder), new ManualClock(), {
    maxSkewMs: 60_000,
    numberRetentionMs: 86_400_000,
  });
  const note = noteForTypicalMessage();
  const signer = { kid: SENDER, secretKey: m.sender.signing.secretKey };
  const composed: Uint8Array[] = [];
  const compose = await measurePaired(
    ['envelope sign+seal (compose)', '  its primitives, same loop'],
    (i) => {
      const fields = { orderNumber: 100_000 + i, amount: { amount: 1250, currency: 'EUR' }, note };
      composed.push(codec.compose(benchOrder, { from: SENDER, to: RECIPIENT, fields }, [signer], m.recipient.sealing.publicKey).bytes);
    },
    (i) => composePrimitives(crypto, m, fresh, i),
    PAIRED_BUDGET,
  );
  // Each composed message is received once, as in service: a replayed frame would be refused, not measured.
  const directory = new BenchKeyDirectory(new Map([[SENDER, m.sender.signing.publicKey]]));
  const replay = new BenchReplayGuard();
  const me = { id: RECIPIENT, sealingSecretKey: m.recipient.sealing.secretKey, sealingPublicKey: m.recipient.sealing.publicKey };
  const receive = await measurePaired(
    ['envelope open+verify (receive)', '  its primitives, same loop'],
    (i) => codec.receive(at(composed, i), me, directory, replay),
    (i) => receivePrimitives(crypto, m, fresh, i),
    { ...PAIRED_BUDGET, maxOps: composed.length - PAIRED_BUDGET.warmupOps },
  );
  return { rows: [...primitives, ...compose, ...receive], compose, receive };
}

/** Overhead from medians of the paired loop: robust to a neighbour stealing the CPU for a few samples. */
function overheadLine(label: string, [envelope, parts]: readonly [Measurement, Measurement]): string {
  const percent = ((envelope.medianUs - parts.medianUs) / parts.medianUs) * 100;
  const verdict = percent <= OVERHEAD_TARGET_PERCENT ? 'within target' : 'ABOVE TARGET';
  const sign = percent >= 0 ? '+' : '';
  return `  ${label.padEnd(9)} ${envelope.medianUs.toFixed(1).padStart(8)} µs vs its primitives ${parts.medianUs.toFixed(1).padStart(8)} µs: ${sign}${percent.toFixed(1)}% (${verdict}: ≤ ${OVERHEAD_TARGET_PERCENT}%)`;
}

export const cryptoBench: BenchModule = {
  name: 'crypto',
  async run() {
    for (const crypto of [new NobleCryptoBackend(), new NodeCryptoBackend()]) {
      const figures = await measureBackend(crypto);
      printTable(`crypto: ${crypto.name} backend (${PAYLOAD_BYTES}-byte payloads)`, figures.rows);
      console.log(`envelope overhead, ${crypto.name} (median of each, timed in one alternating loop):`);
      console.log(overheadLine('sign+seal', figures.compose));
      console.log(overheadLine('receive', figures.receive));
    }
  },
};
