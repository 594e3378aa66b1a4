import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { waitFor } from './wait-for.js';

/** A free TCP port on loopback (bound, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Tessera (`dist/src/main.js`) as a real child process, with its output collected. */
export class PlatformProcess {
  output = '';
  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  static start(env: Record<string, string>, command: readonly string[] = ['dist/src/main.js']): PlatformProcess {
    const [file, ...args] = command[0]?.endsWith('.js') ? [process.execPath, ...command] : command;
    return new PlatformProcess(spawn(file as string, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  async healthy(httpUrl: string, timeoutMs = 20_000): Promise<void> {
    await waitFor(
      async () => {
        if (this.child.exitCode !== null) throw new Error(`platform exited ${this.child.exitCode}:\n${this.output}`);
        try {
          const response = await fetch(`${httpUrl}/health`);
          return response.ok;
        } catch {
          return false;
        }
      },
      'the platform health endpoint',
      timeoutMs,
    );
  }

  kill(signal: NodeJS.Signals): Promise<number | null> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        resolve(this.child.exitCode);
        return;
      }
      this.child.once('exit', (code) => resolve(code));
      this.child.kill(signal);
    });
  }
}
