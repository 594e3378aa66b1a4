// Proves build/tessera alone (no Node.js or node_modules beside it) runs Tessera from an empty folder: health, start-up lines, a device's remote access over its MQTT broker, SIGTERM, and a one-line error for a taken MQTT port.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BINARY = join(ROOT, 'build', process.platform === 'win32' ? 'tessera.exe' : 'tessera');
const SIMULATOR = join(ROOT, 'dist/src/devices/simulator/cli.js');
const SKIP = process.env['TESSERA_SKIP_BINARY'] === '1';
const BUILD_TIMEOUT_MS = 300_000;

interface Run {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();
const folders: string[] = [];

function start(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Run {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const run: Run = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        running.delete(child);
        resolve({ code, signal });
      });
    }),
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (run.stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (run.stderr += chunk));
  return run;
}

function output(run: Run): string {
  return `--- stdout ---\n${run.stdout}--- stderr ---\n${run.stderr}`;
}

/** Resolves with the exit, or with undefined when the process is still running after timeoutMs. */
function exitWithin(run: Run, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
  return Promise.race([run.exited, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Bundles build/tessera from dist/, which Jest's global setup compiled. Not `npm run build:binary`: that recompiles
 * dist/ first, and tsc rewriting dist/ under the other end-to-end tests' running platforms breaks their imports.
 */
async function buildBinary(): Promise<void> {
  const run = start(process.execPath, ['scripts/build-binary.mjs'], { cwd: ROOT, env: process.env });
  const exit = await exitWithin(run, BUILD_TIMEOUT_MS - 10_000);
  if (exit === undefined) {
    run.child.kill('SIGKILL');
    throw new Error(`scripts/build-binary.mjs did not finish in time\n${output(run)}`);
  }
  if (exit.code !== 0) throw new Error(`scripts/build-binary.mjs failed (${exit.code ?? exit.signal})\n${output(run)}`);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Ports the system hands out as free right now (held together so that they differ, then released). */
async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(servers.map((server) => listen(server, 0)));
  await Promise.all(servers.map(closeServer));
  return ports;
}

function emptyFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'tessera-binary-'));
  folders.push(folder);
  return folder;
}

/** The environment of this test less anything that would configure Tessera differently from its embedded defaults. */
function tesseraEnv(httpPort: number, mqttPort: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('TESSERA') || name === 'DATABASE_URL' || name === 'NODE_OPTIONS') continue;
    env[name] = value;
  }
  return { ...env, TESSERA_HTTP_PORT: String(httpPort), TESSERA_MQTT_PORT: String(mqttPort) };
}

async function health(url: string): Promise<Record<string, unknown> | undefined> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) return undefined;
    return (await response.json()) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

const describeBinary = SKIP ? describe.skip : describe;
if (SKIP) console.warn('single-binary e2e skipped: TESSERA_SKIP_BINARY=1 (build/tessera is neither built nor run)');

describeBinary('single binary build/tessera', () => {
  beforeAll(async () => {
    if (!existsSync(BINARY)) await buildBinary();
    expect(existsSync(BINARY)).toBe(true);
    expect(existsSync(SIMULATOR)).toBe(true);
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    for (const child of running) child.kill('SIGKILL');
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('runs from an empty folder, serves a device over its embedded broker, and stops on SIGTERM', async () => {
    const folder = emptyFolder();
    const [httpPort, mqttPort] = (await freePorts(2)) as [number, number];
    const httpUrl = `http://127.0.0.1:${httpPort}`;
    const mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
    const server = start(BINARY, [], { cwd: folder, env: tesseraEnv(httpPort, mqttPort) });

    let status: Record<string, unknown> | undefined;
    const deadline = Date.now() + 30_000;
    while (status?.['status'] !== 'ok') {
      const exit = await exitWithin(server, 0);
      if (exit !== undefined) throw new Error(`build/tessera exited (${exit.code ?? exit.signal}) before answering /health\n${output(server)}`);
      if (Date.now() > deadline) throw new Error(`build/tessera did not answer GET /health with status ok within 30 s\n${output(server)}`);
      status = await health(httpUrl);
      if (status?.['status'] !== 'ok') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The start-up lines are printed right after the HTTP server listens; give them a moment to arrive.
    const startDeadline = Date.now() + 5_000;
    while (!server.stdout.includes('MQTT broker') && Date.now() < startDeadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.stdout).toContain(`HTTP API     ${httpUrl}`);
    expect(server.stdout).toContain(`MQTT broker  ${mqttUrl}`);
    const credentials = join(folder, 'data', 'devices', 'alice-phone.json');
    expect(existsSync(credentials)).toBe(true);

    const spId = typeof status['sp'] === 'string' ? status['sp'] : 'sp:tessera';
    const device = start(process.execPath, [SIMULATOR, '--credentials', credentials, '--mqtt-url', mqttUrl, 'remote-access', `${spId}/welcome.txt`], { cwd: folder, env: tesseraEnv(httpPort, mqttPort) });
    const deviceExit = await exitWithin(device, 30_000);
    if (deviceExit === undefined) throw new Error(`the device simulator did not finish within 30 s\n${output(device)}\n--- server ---\n${output(server)}`);
    expect({ code: deviceExit.code, output: output(device) }).toEqual({ code: 0, output: expect.stringContaining('Welcome to Tessera') });
    const answer = JSON.parse(device.stdout.trim().split('\n').pop() ?? '{}') as { found?: boolean; text?: string };
    expect(answer.found).toBe(true);
    expect(answer.text).toContain('Welcome to Tessera');

    server.child.kill('SIGTERM');
    const stopped = await exitWithin(server, 5_000);
    if (stopped === undefined) throw new Error(`build/tessera still runs 5 s after SIGTERM\n${output(server)}`);
    // main() exits 0 after closing; Nest's shutdown hooks (enableShutdownHooks) may re-raise SIGTERM first. Either is a stop.
    expect(stopped.code === 0 || (stopped.code === null && stopped.signal === 'SIGTERM')).toBe(true);
  }, 90_000);

  it('exits non-zero at once with one stderr line naming mqtt.embedded.port when the MQTT port is taken', async () => {
    const folder = emptyFolder();
    const holder = createServer();
    const [httpPort] = (await freePorts(1)) as [number];
    const takenPort = await listen(holder, 0);
    try {
      const server = start(BINARY, [], { cwd: folder, env: tesseraEnv(httpPort, takenPort) });
      const exit = await exitWithin(server, 10_000);
      if (exit === undefined) throw new Error(`build/tessera still runs 10 s after start with MQTT port ${takenPort} taken\n${output(server)}`);
      expect(exit.code).not.toBe(0);
      expect(exit.code).not.toBeNull();
      const lines = server.stderr.split('\n').filter((line) => line.trim() !== '');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('mqtt.embedded.port');
      expect(lines[0]).toContain(String(takenPort));
    } finally {
      await closeServer(holder);
    }
  }, 30_000);
});
