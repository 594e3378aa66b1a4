import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Platform } from '../platform/platform.js';

const generated = new WeakMap<Platform, string>();

/**
 * The operator token the inspector and the operator API ask for: `inspection.token` from the configuration, or one
 * drawn at random on first start and kept in `dataDir/keys/operator-token` (0600), so it survives restarts and an
 * operator's scripts can read it (main prints it at start).
 */
export function inspectorTokenFor(platform: Platform): string {
  const configured = platform.config.inspection.token;
  if (configured !== null) return configured;
  let token = generated.get(platform);
  if (token === undefined) {
    const path = join(platform.config.dataDir, 'keys', 'operator-token');
    if (existsSync(path)) token = readFileSync(path, 'utf8').trim();
    else {
      token = randomBytes(24).toString('base64url');
      mkdirSync(join(platform.config.dataDir, 'keys'), { recursive: true, mode: 0o700 });
      writeFileSync(path, `${token}\n`, { mode: 0o600 });
    }
    generated.set(platform, token);
  }
  return token;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Compares in constant time: both sides are hashed first, so neither length nor content leaks through timing. */
export function tokensMatch(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}
