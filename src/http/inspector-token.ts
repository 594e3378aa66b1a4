import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Platform } from '../platform/platform.js';

const generated = new WeakMap<Platform, string>();

/**
 * The operator token the inspector asks for: `inspection.token` from the configuration, or one drawn at random the
 * first time it is asked for and kept for the platform's life (main prints it at start).
 */
export function inspectorTokenFor(platform: Platform): string {
  const configured = platform.config.inspection.token;
  if (configured !== null) return configured;
  let token = generated.get(platform);
  if (token === undefined) {
    token = randomBytes(24).toString('base64url');
    generated.set(platform, token);
  }
  return token;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Compares in constant time: both sides are hashed first, so neither length nor content leaks through timing. */
export function tokensMatch(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}
