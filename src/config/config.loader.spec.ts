// Proves configuration layering (defaults < file < environment < overrides) and one-line errors that name the key.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './config.loader.js';

describe('loadConfig', () => {
  it('runs on embedded defaults: broker on 1884 (not 1883), SQLite, HTTP 8080', () => {
    const sut = loadConfig({ env: {} });
    expect(sut.mqtt).toMatchObject({ url: null, embedded: { host: '127.0.0.1', port: 1884 } });
    expect(sut.database.url).toBeNull();
    expect(sut.http.port).toBe(8080);
  });

  it('layers a file, then environment variables, then overrides', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-config-'));
    const file = join(dir, 'tessera.json');
    writeFileSync(file, JSON.stringify({ http: { port: 9000 }, sp: { name: 'from-file' } }));
    const sut = loadConfig({ env: { TESSERA_CONFIG: file, TESSERA_HTTP_PORT: '9100', TESSERA__EXTERNAL__TPS__EMBEDDEDPORT: '7001', DATABASE_URL: 'postgres://db/tessera' }, overrides: { sp: { name: 'override' } } });
    expect(sut.http.port).toBe(9100);
    expect(sut.external.tps.embeddedPort).toBe(7001);
    expect(sut.database.url).toBe('postgres://db/tessera');
    expect(sut.sp.name).toBe('override');
  });

  it('reads JSON values for object keys from the environment', () => {
    const sut = loadConfig({ env: { TESSERA__EXTERNAL__PARTIES: '{"iss:ticket:acme":{"host":"127.0.0.1","port":7100}}' } });
    expect(sut.external.parties).toEqual({ 'iss:ticket:acme': { host: '127.0.0.1', port: 7100 } });
  });

  it.each([
    [{ TESSERA_HTTP_PORT: '70000' }, 'http.port'],
    [{ TESSERA_MQTT_PORT: 'abc' }, 'mqtt.embedded.port'],
    [{ TESSERA_MQTT_URL: 'http://broker' }, 'mqtt.url'],
    [{ TESSERA_CRYPTO_BACKEND: 'rot13' }, 'protocol.cryptoBackend'],
    [{ TESSERA__NOPE: '1' }, 'nope'],
    [{ DATABASE_URL: 'mysql://x' }, 'database.url'],
  ])('refuses %p with one line naming %s', (env, key) => {
    let error: unknown;
    try {
      loadConfig({ env });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe(key);
    expect((error as ConfigError).message).toMatch(new RegExp(`^config error: ${key.replace('.', '\\.')}: `));
    expect((error as ConfigError).message).not.toContain('\n');
  });
});
