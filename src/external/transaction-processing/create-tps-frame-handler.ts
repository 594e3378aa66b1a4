import { systemClock } from '../../common/clock.js';
import { MessageCodec } from '../../protocol/codec.js';
import type { CryptoBackend } from '../../protocol/crypto/crypto-backend.js';
import { Envelope } from '../../protocol/envelope.js';
import { invariant } from '../../protocol/errors.js';
import { MessageRegistry } from '../../protocol/message-registry.js';
import type { Ledger } from './ledger/ledger.js';
import { TpsFrameHandler } from './tps-frame-handler.js';
import { transactionProcessingRequests } from './tps-messages.js';
import { DEFAULT_MAX_SKEW_MS, type TransactionProcessingOptions } from './tps-options.js';

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** A key pair that does not match would make every answer unverifiable: fail at start, not at the first clearing. */
export function assertTpsKeyPairs(options: TransactionProcessingOptions, crypto: CryptoBackend): void {
  invariant(sameBytes(crypto.ed25519PublicKey(options.keys.signing.secretKey), options.keys.signing.publicKey), 'TPS signing key pair does not match');
  invariant(sameBytes(crypto.x25519PublicKey(options.keys.sealing.secretKey), options.keys.sealing.publicKey), 'TPS sealing key pair does not match');
}

export function createTpsFrameHandler(options: TransactionProcessingOptions, crypto: CryptoBackend, ledger: Ledger): TpsFrameHandler {
  const registry = new MessageRegistry().register(...transactionProcessingRequests);
  const maxSkewMs = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  const codec = new MessageCodec(new Envelope(crypto), registry, options.clock ?? systemClock, { maxSkewMs, numberRetentionMs: 2 * maxSkewMs });
  const me = { id: options.id, sealingSecretKey: options.keys.sealing.secretKey, sealingPublicKey: options.keys.sealing.publicKey, signingSecretKey: options.keys.signing.secretKey };
  return new TpsFrameHandler(codec, me, options.serviceProvider, ledger);
}
