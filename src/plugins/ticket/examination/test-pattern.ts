import type { Envelope } from '../../../protocol/envelope.js';
import { TEST_PATTERN_BYTES } from './examination.messages.js';

/**
 * Test patterns ([1638], [1642]): random nonces sealed to a ticket kind's sealing keys. Only a genuine gate (holding
 * the gate private key of the ticket code) can return the gate test pattern, and only a genuine ticket (holding the
 * ticket private key) the ticket test pattern: that is the mutual authentication of ticket and gate (DESIGN "Parties
 * and keys"). The sealing label names the key the pattern is sealed to, so a pattern sealed for one role never opens
 * as the other's.
 */
export const gatePatternLabel = (ticketCode: string): string => `gate:${ticketCode}`;
export const ticketPatternLabel = (ticketCode: string): string => `ticket:${ticketCode}`;

export function newTestPattern(envelope: Envelope): Uint8Array {
  return envelope.crypto.randomBytes(TEST_PATTERN_BYTES);
}

export function sealTestPattern(envelope: Envelope, pattern: Uint8Array, label: string, publicKey: Uint8Array): Uint8Array {
  return envelope.seal(pattern, label, publicKey);
}

/** Opens a sealed test pattern; undefined when it is not sealed to this key (a forged ticket or gate). */
export function openTestPattern(envelope: Envelope, sealed: Uint8Array, label: string, secretKey: Uint8Array): Uint8Array | undefined {
  try {
    const frame = envelope.decodeFrame(sealed);
    if (frame.t !== 'sealed') return undefined;
    const pattern = envelope.open(frame, label, secretKey, envelope.crypto.x25519PublicKey(secretKey));
    return pattern.length === TEST_PATTERN_BYTES ? pattern : undefined;
  } catch {
    return undefined;
  }
}

export function samePattern(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index += 1) difference |= (a[index] as number) ^ (b[index] as number);
  return difference === 0;
}
