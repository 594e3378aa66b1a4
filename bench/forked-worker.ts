import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** An answer from a worker process: `failed` carries the error; `report` lines are progress, not answers. */
export type WorkerAnswer = { readonly kind: string } & ({ readonly kind: 'failed'; readonly error: string } | { readonly kind: string; readonly [field: string]: unknown });

/**
 * A bench's child process (simulated devices run apart from the platform, as in service), driven one request at a time
 * over IPC: each request waits for one answer of the expected kind; a `failed` answer or the child's exit rejects it.
 */
export class ForkedWorker<Request extends { readonly kind: string }, Answer extends WorkerAnswer> {
  private constructor(
    private readonly child: ChildProcess,
    private readonly label: string,
  ) {}

  /** Forks `script` (a file beside the compiled benches) and sends `attach`, waiting for its answer of kind `ready`. */
  static async start<Request extends { readonly kind: string }, Answer extends WorkerAnswer>(script: string, label: string, attach: Request, ready?: Answer['kind']): Promise<ForkedWorker<Request, Answer>> {
    const child = fork(fileURLToPath(new URL(script, import.meta.url)), [], { stdio: 'inherit' });
    const worker = new ForkedWorker<Request, Answer>(child, label);
    try {
      await worker.request(attach, ready);
    } catch (error) {
      child.kill();
      throw error;
    }
    return worker;
  }

  request(message: Request, expected?: Answer['kind']): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const onMessage = (answer: Answer): void => {
        if (answer.kind === 'report') {
          console.error(String(answer['line']));
          return;
        }
        cleanup();
        if (answer.kind === 'failed') reject(new Error(`${this.label}: ${String(answer['error'])}`));
        else if (expected !== undefined && answer.kind !== expected) reject(new Error(`${this.label} answered ${answer.kind}, expected ${expected}`));
        else resolve(answer);
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new Error(`${this.label} exited (${String(code)}) before answering ${message.kind}`));
      };
      const cleanup = (): void => {
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.child.send(message);
    });
  }

  /** Asks the child to close (`message`), then kills it if it has not exited within 5 s. */
  async close(message: Request, closed?: Answer['kind']): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await this.request(message, closed);
    } finally {
      if (this.child.exitCode === null) {
        const timer = setTimeout(() => this.child.kill(), 5_000);
        await exited;
        clearTimeout(timer);
      }
    }
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}
