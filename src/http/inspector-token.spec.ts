// Proves the inspector's credential: a configured token is used as it is, a missing one is drawn at random once per
// data folder (kept across restarts), tokens compare in constant time, and a request presents one by Bearer header or `?token=`.
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { IncomingMessage } from 'node:http';
import type { Platform } from '../platform/platform.js';
import { presentedToken } from './inspection-access.guard.js';
import { inspectorTokenFor, tokensMatch } from './inspector-token.js';

const platformWith = (token: string | null, dataDir = mkdtempSync(join(tmpdir(), 'tessera-token-'))) => ({ config: { dataDir, inspection: { enabled: true, token } } }) as unknown as Platform;
const request = (authorization: string | undefined, query: Record<string, unknown> = {}) => ({ headers: { authorization }, query }) as unknown as IncomingMessage & { query: Record<string, unknown> };

describe('inspectorTokenFor', () => {
  it('uses the configured token', () => {
    expect(inspectorTokenFor(platformWith('an-operator-token-of-length'))).toBe('an-operator-token-of-length');
  });

  it('draws a random token on first start, keeps it in a 0600 file, and reads it back after a restart', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-token-'));
    const sut = platformWith(null, dataDir);
    const token = inspectorTokenFor(sut);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(inspectorTokenFor(sut)).toBe(token);
    expect(statSync(join(dataDir, 'keys', 'operator-token')).mode & 0o777).toBe(0o600);
    expect(inspectorTokenFor(platformWith(null, dataDir))).toBe(token);
    expect(inspectorTokenFor(platformWith(null))).not.toBe(token);
  });
});

describe('tokensMatch', () => {
  it.each([
    ['same', 'same', true],
    ['same', 'Same', false],
    ['short', 'a-much-longer-token', false],
    ['', 'x', false],
  ])('%s against %s is %s', (presented, expected, result) => {
    expect(tokensMatch(presented, expected)).toBe(result);
  });
});

describe('presentedToken', () => {
  it.each([
    ['a Bearer header', request('Bearer abc.def-1'), 'abc.def-1'],
    ['a lower-case bearer header', request('bearer abc'), 'abc'],
    ['a token query parameter', request(undefined, { token: 'q-token' }), 'q-token'],
    ['the header before the query', request('Bearer h', { token: 'q' }), 'h'],
    ['another scheme', request('Basic dXNlcjpwYXNz'), undefined],
    ['a repeated query parameter', request(undefined, { token: ['a', 'b'] }), undefined],
    ['nothing', request(undefined), undefined],
  ])('reads %s', (_case, sut, token) => {
    expect(presentedToken(sut)).toBe(token);
  });
});
