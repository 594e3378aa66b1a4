import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/common/clock.js';
import { loadConfig } from '../src/config/config.loader.js';
import type { PlatformLogger } from '../src/core/audit-log.js';
import { Platform } from '../src/platform/platform.js';
import type { ServicePlugin } from '../src/plugins/plugin.contract.js';

const quietLogger: PlatformLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
/** `BENCH_VERBOSE=1`: the platform's warnings and errors on stderr (a bench that stalls says why). */
const verboseLogger: PlatformLogger = { log: () => undefined, warn: (message) => console.error(message), error: (message) => console.error(message) };

export interface BenchPlatform {
  readonly platform: Platform;
  close(): Promise<void>;
}

/**
 * A real service providing system in this process, as the integration tests start it: SQLite in a temp folder, the
 * embedded MQTT broker and the HTTP API on ephemeral loopback ports, the given plugins (none by default), system clock,
 * silent logger.
 * `idleEvictMs` overrides the idle-actor eviction delay (a bench that keeps actors live longer than the default 30 s).
 */
export async function startBenchPlatform(name: string, extra: { readonly idleEvictMs?: number; readonly plugins?: readonly ServicePlugin[] } = {}): Promise<BenchPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), `tessera-bench-${name}-`));
  const config = loadConfig({
    env: {},
    overrides: {
      sp: { name },
      dataDir,
      http: { host: '127.0.0.1', port: 0 },
      mqtt: { url: null, username: null, password: null, clientId: `tessera-bench-${name}`, embedded: { host: '127.0.0.1', port: 0 } },
      database: { url: null, sqliteFile: 'tessera.sqlite' },
      ...(extra.idleEvictMs === undefined ? {} : { actors: { idleEvictMs: extra.idleEvictMs } }),
    },
  });
  const platform = await Platform.start(config, { logger: process.env['BENCH_VERBOSE'] === '1' ? verboseLogger : quietLogger, plugins: extra.plugins ?? [], clock: systemClock });
  try {
    await platform.resume();
  } catch (error) {
    await platform.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    platform,
    async close() {
      await platform.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
