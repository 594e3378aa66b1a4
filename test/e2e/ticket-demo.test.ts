// Proves the ticket demo as users run it: the compiled script (dist/src/demo/ticket-demo.js) as its own process starts
// its own platform, takes a user through every ticket process, prints each step, exits 0 and leaves no temp folder.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

const run = promisify(execFile);

describe('ticket demo script', () => {
  it('runs every step, prints the key facts and exits 0', async () => {
    const { stdout, stderr } = await run(process.execPath, ['dist/src/demo/ticket-demo.js'], { timeout: 120_000, env: { ...process.env, TESSERA_DEMO_VERBOSE: '0' } }).catch((error: { code?: number; stdout?: string; stderr?: string }) => {
      throw new Error(`the demo exited ${error.code ?? '?'}:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    });
    expect(stderr).toBe('');
    const lines = stdout.split('\n');
    const line = (pattern: RegExp): string => {
      const found = lines.find((candidate) => pattern.test(candidate));
      if (found === undefined) throw new Error(`no line matching ${pattern} in:\n${stdout}`);
      return found;
    };
    expect(line(/price 12\.00 EUR/)).toContain('signed by iss:ticket:acme');
    expect(line(/ticket ID museum-metro-3-\S+ issued/)).toContain('12.00 EUR charged');
    expect(line(/is on the registered ticket list/)).toContain('new certified key pair');
    expect(line(/the gate examines/)).toContain("instruction 'use-coupon'");
    expect(lines.filter((candidate) => /gate dev:gate:metro-gate-1 opened/.test(candidate))).toHaveLength(2);
    expect(line(/coupons left: 2/)).toBeDefined();
    expect(line(/coupons left: 1/)).toBeDefined();
    expect(line(/transfer accepted: ticket concert-2027-\S+ is bob's now/)).toBeDefined();
    const refund = line(/refund amount/);
    const gala = line(/"Opening gala \(personal\)"/);
    expect(gala).toBeDefined();
    const price = /price (\d+\.\d\d) EUR/.exec(lines[lines.indexOf(gala) + 1] ?? '')?.[1];
    expect(refund).toContain(`refund amount ${price} EUR`);
    expect(line(/trial balance:/)).toContain('trial balance: balanced');
    expect(line(/card\.alice\.visa/)).toMatch(/-\d+\.\d\d EUR/);
    expect(line(/issuer: \d+ in circulation, 1 refunded/)).toBeDefined();
    expect(lines).toContain('Demo finished: every step succeeded.');
    const dataDir = /SQLite in (\S+)/.exec(stdout)?.[1];
    expect(dataDir).toMatch(/tessera-demo-/);
    expect(existsSync(dataDir ?? '')).toBe(false);
  }, 150_000);
});
