// Proves the state-machine inspector in real headless Chromium: the page loads with no console error, draws every
// registered machine, shows remote accesses live (actor states, sequence arrows in order, a refusal in red), steps
// through history, exports, and is refused without the operator token (404 when turned off).
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createMachine } from 'xstate';
import type { ExternalPartyServer } from '../../src/external/transport/index.js';
import { createHttpApp } from '../../src/http/http-app.js';
import { inspectorTokenFor } from '../../src/http/inspector-token.js';
import { InspectorService } from '../../src/http/inspector.service.js';
import { waitFor } from '../helpers/wait-for.js';
import { TestWorld, type AttachedDevice } from '../helpers/world.js';
import { launchChromium, type HeadlessChromium } from './helpers/chromium.js';
import { startDocumentIssuer } from '../helpers/document-issuer.js';

jest.setTimeout(90_000);

const SCREENSHOTS = join(process.cwd(), 'docs', 'screenshots');
const RED = '#d62828';

/** Attribute values of every element matching a selector, in document order (evaluated in the page). */
function attributes(page: Page, selector: string, names: readonly string[]): Promise<(string | null)[][]> {
  return page.evaluate<(string | null)[][]>(`Array.from(document.querySelectorAll(${JSON.stringify(selector)})).map((node) => ${JSON.stringify(names)}.map((name) => node.getAttribute(name)))`);
}

/** Reads a Server-Sent Events stream until its text holds every one of `needles` (bounded by `waitFor`'s clock). */
async function readUntil(response: Response, needles: readonly string[]): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) throw new Error('no body');
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + 10_000;
  while (!needles.every((needle) => text.includes(needle))) {
    if (Date.now() > deadline) throw new Error(`stream never said ${needles.join(', ')}: ${text.slice(0, 400)}`);
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

async function serve(world: TestWorld): Promise<{ app: INestApplication; base: string }> {
  const app = await createHttpApp(world.platform);
  await app.listen(0, '127.0.0.1');
  return { app, base: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}` };
}

describe('inspector in headless Chromium', () => {
  let world: TestWorld;
  let app: INestApplication;
  let base: string;
  let token: string;
  let browser: HeadlessChromium;
  let page: Page;
  let issuer: ExternalPartyServer;
  let alice: AttachedDevice;
  let carol: AttachedDevice;
  let directorPg = '';
  const issuerId = 'iss:ticket:acme' as const;
  const inspect = (hash: string) => `${base}/inspect?token=${encodeURIComponent(token)}#${hash}`;
  const ready = (view: string) => page.waitForSelector(`body[data-ready="${view}"]`);

  beforeAll(async () => {
    world = await TestWorld.create();
    ({ app, base } = await serve(world));
    token = inspectorTokenFor(world.platform);
    await world.platform.remoteData.put(`${world.platform.spId}/timetable.txt`, 'text/plain', new TextEncoder().encode('07:05 08:05 09:05'));
    issuer = await startDocumentIssuer(world, issuerId, 'seat map v3');
    alice = await world.user('alice');
    carol = await world.user('carol');
    browser = await launchChromium({ width: 1600, height: 1000 });
    page = await browser.newPage();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await issuer?.close();
    await world?.close();
  });

  afterEach(() => {
    expect(browser.errors).toEqual([]);
  });

  it('refuses every inspector route without the operator token', async () => {
    for (const path of ['/inspect', '/inspect/assets/inspector.js', '/inspect/api/machines', '/inspect/api/actors', '/inspect/api/events']) {
      expect((await fetch(`${base}${path}`)).status).toBe(401);
      expect((await fetch(`${base}${path}?token=not-the-token-at-all`)).status).toBe(401);
      expect((await fetch(`${base}${path}`, { headers: { authorization: 'Bearer not-the-token-at-all' } })).status).toBe(401);
    }
    const refused = await fetch(`${base}/inspect`);
    expect(refused.headers.get('www-authenticate')).toContain('Bearer');
    const byHeader = await fetch(`${base}/inspect/api/machines`, { headers: { authorization: `Bearer ${token}` } });
    expect(byHeader.status).toBe(200);
    const page401 = await fetch(`${base}/inspect?token=${encodeURIComponent(token)}`);
    expect(page401.status).toBe(200);
    expect(page401.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page401.headers.get('referrer-policy')).toBe('no-referrer');
    expect((await fetch(`${base}/api/machines`)).status).toBe(401);
    expect((await fetch(`${base}/api/machines`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('loads with no console error and draws every registered machine as a statechart', async () => {
    await page.goto(inspect('/machines'));
    await ready('machines');
    const kinds = world.platform.catalog.all().map((entry) => entry.kind);
    expect(await page.locator('svg.statechart').count()).toBe(kinds.length);
    expect((await attributes(page, 'svg.statechart', ['data-kind'])).map(([kind]) => kind)).toEqual(kinds);
    const director = page.locator('svg.statechart[data-kind="director:remote-access"]');
    expect(await director.locator('g.state').count()).toBe(4);
    expect(await director.locator('g.transition-label').allTextContents()).toEqual(
      expect.arrayContaining(['process.start [holderReachable]/ requestRemoteData', 'external.reply [isRemoteDataResponse]/ recordRemoteData, answerTerminal']),
    );
    await page.evaluate(`document.querySelector('section.machine[data-kind="director:remote-access"]').scrollIntoView()`);
    await page.screenshot({ path: join(SCREENSHOTS, 'inspector-machines.png') });
  });

  it('exports a machine as createMachine config JSON that XState accepts', async () => {
    const response = await fetch(`${base}/inspect/api/machines/${encodeURIComponent('director:remote-access')}/stately.json`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.headers.get('content-disposition')).toContain('director-remote-access.machine.json');
    const machine = createMachine((await response.json()) as Parameters<typeof createMachine>[0]);
    expect(Object.keys(machine.root.states)).toEqual(['starting', 'awaitingRemoteData', 'completed']);
  });

  it('shows remote accesses live in the actor list with their current states', async () => {
    await page.goto(inspect('/actors'));
    await ready('actors');
    await page.waitForSelector('#live-status[data-state="open"]');
    await alice.runtime.remoteAccess(`${world.platform.spId}/timetable.txt`);
    await page.waitForSelector('.actor-row[data-actor-id="processor:user"][data-state="serving"][data-status="active"]');
    const entry = await carol.runtime.remoteAccess(`${issuerId}/events/42/seats`);
    expect(Buffer.from(entry.data, 'base64').toString()).toBe('seat map v3');
    directorPg = `txn:remote-access:${entry.requestId}`;
    await page.waitForSelector(`.actor-row[data-actor-id="${directorPg}"][data-state="completed"][data-status="done"]`);
    await page.waitForSelector('.actor-row[data-actor-id="processor:service-manager"]');
    await page.waitForSelector('.actor-row[data-actor-id="processor:ticket-issuer"]');
    await page.click(`.actor-row[data-actor-id="${directorPg}"]`);
    await page.waitForSelector('.actor-detail svg.statechart g.state.active[data-state-id="remoteAccessDirector.completed"]');
    expect((await attributes(page, '.actor-detail g.state.active', ['data-state-id'])).flat()).toEqual(['remoteAccessDirector', 'remoteAccessDirector.completed']);
    await page.screenshot({ path: join(SCREENSHOTS, 'inspector-actors.png') });
  });

  it('steps through one actor’s history event by event', async () => {
    await page.goto(inspect(`/actors/${encodeURIComponent(directorPg)}`));
    await page.waitForSelector('.actor-detail svg.statechart');
    const active = async () => (await attributes(page, '.actor-detail g.state.active', ['data-state-id'])).flat().filter((id) => id !== 'remoteAccessDirector');
    await page.click('.actor-detail button[data-travel="first"]');
    expect(await active()).toEqual(['remoteAccessDirector.starting']);
    await page.click('.actor-detail button[data-travel="next"]');
    expect(await active()).toEqual(['remoteAccessDirector.awaitingRemoteData']);
    expect(await page.textContent('.actor-detail .travel-position')).toBe('step 1 of 2');
    await page.click('.actor-detail button[data-travel="next"]');
    expect(await active()).toEqual(['remoteAccessDirector.completed']);
    await page.click('.actor-detail button[data-travel="live"]');
    expect(await page.getAttribute('.actor-detail .travel-position', 'data-cursor')).toBe('live');
  });

  it('draws a process group live as a sequence diagram with the right arrows in the right order', async () => {
    await page.goto(inspect('/processes'));
    await ready('processes');
    await page.waitForSelector('#live-status[data-state="open"]');
    const entry = await carol.runtime.remoteAccess(`${issuerId}/events/43/seats`);
    const pg = `txn:remote-access:${entry.requestId}`;
    await page.click(`ul.groups li[data-pg="${pg}"] a`);
    await page.waitForSelector(`svg.sequence[data-process-group="${pg}"] g.step[data-type="remoteAccessData"]`);
    const roles = new Map((await attributes(page, 'svg.sequence g.lifeline', ['data-key', 'data-role'])).map(([key, role]) => [key, role]));
    const messages = (await attributes(page, 'svg.sequence g.step[data-kind="message"]', ['data-type', 'data-from', 'data-to'])).map(([type, from, to]) => `${type}: ${roles.get(from ?? '')} -> ${roles.get(to ?? '')}`);
    expect(messages).toEqual([
      'remoteAccessRequest: Mobile user terminal 100 -> User processor',
      'remoteDataRequest: Ticket issuer processor -> Ticket issuing system 107',
      'remoteDataResponse: Ticket issuing system 107 -> Service director',
      'remoteAccessData: Service director -> Mobile user terminal 100',
    ]);
    const steps = (await attributes(page, 'svg.sequence g.step', ['data-kind', 'data-type'])).map(([kind, type]) => `${kind}:${type}`);
    expect(steps).toEqual([
      'message:remoteAccessRequest',
      'note:remoteAccess.requested',
      'hop:process.open',
      'note:process.open',
      'hop:process.start',
      'note:process.start',
      'hop:exchange.requested',
      'note:exchange.requested',
      'message:remoteDataRequest',
      'message:remoteDataResponse',
      'note:external.reply',
      'message:remoteAccessData',
    ]);
    expect(await page.textContent('svg.sequence g.step[data-type="remoteAccessRequest"]')).toContain('signed usr:carol → sp:');
    await page.click('svg.sequence g.step[data-type="remoteDataResponse"]');
    await page.waitForSelector('.step-detail[data-step="9"]');
    expect(JSON.parse((await page.textContent('.step-detail pre.fields')) ?? '{}')).toMatchObject({ dataAddress: `${issuerId}/events/43/seats`, found: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'inspector-sequence.png') });

    await page.click('.sequence-pane button[data-travel="first"]');
    expect(await page.getAttribute('.sequence-pane .travel-position', 'data-cursor')).toBe('0');
    expect((await attributes(page, 'svg.sequence g.step[opacity]', ['data-index'])).length).toBe(11);
    await page.click('.sequence-pane button[data-travel="next"]');
    await page.click('.sequence-pane button[data-travel="next"]');
    expect(await page.getAttribute('.sequence-pane .travel-position', 'data-cursor')).toBe('2');
    expect(await page.getAttribute('.step-detail', 'data-step')).toBe('2');
    expect((await attributes(page, 'svg.sequence g.step[opacity]', ['data-index'])).map(([index]) => Number(index))).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('exports the sequence as SVG and as Mermaid text', async () => {
    const download = page.waitForEvent('download');
    await page.click('#export-svg');
    const svg = readFileSync((await (await download).path()) ?? '', 'utf8');
    expect(svg).toMatch(/^<\?xml[^]*<svg[^>]*class="sequence"/);
    expect(svg).toContain('remoteDataResponse');
    const href = await page.getAttribute('#export-mermaid', 'href');
    const mermaid = await (await fetch(new URL(href ?? '', base))).text();
    expect(mermaid.split('\n').slice(0, 1)).toEqual(['sequenceDiagram']);
    expect(mermaid).toContain('->>');
  });

  it('shows a refused message in red', async () => {
    const gate = await world.merchantDevice('gate', 'g1');
    await page.goto(inspect('/processes'));
    await ready('processes');
    await page.waitForSelector('#live-status[data-state="open"]');
    await gate.link.send(new Uint8Array([1, 2, 3]));
    await page.click('ul.groups li[data-pg="refusals:dev:gate:g1"] a');
    const refusal = page.locator('svg.sequence g.step[data-kind="refusal"]');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-refused')).toBe('true');
    expect(await refusal.locator('line').getAttribute('stroke')).toBe(RED);
    expect(await refusal.textContent()).toContain('REFUSED');
    const lifelines = await attributes(page, 'svg.sequence g.lifeline', ['data-role']);
    expect(lifelines.flat()).toEqual(['Gate terminal 101', 'Service providing system 110']);
  });

  it('streams the trace live over Server-Sent Events, resumes from Last-Event-ID, and lets go of a client that leaves', async () => {
    const feed = app.get(InspectorService).feed;
    const before = feed.size;
    const controller = new AbortController();
    const url = `${base}/inspect/api/events?actor=processor:user&token=${encodeURIComponent(token)}`;
    const response = await fetch(url, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    await waitFor(() => feed.size === before + 1, 'the stream subscribed');
    const entry = await alice.runtime.remoteAccess(`${world.platform.spId}/timetable.txt`);
    const pg = `txn:remote-access:${entry.requestId}`;
    const text = await readUntil(response, [`"processGroup":"${pg}"`, 'event: actor', '"actorId":"processor:user"']);
    expect(text).not.toContain('outbox:');
    controller.abort();
    await waitFor(() => feed.size === before, 'the stream let go');

    const [first] = await world.platform.inspection.processGroup(pg);
    const resumed = new AbortController();
    const again = await fetch(url, { signal: resumed.signal, headers: { 'last-event-id': String((first?.seq ?? 1) - 1) } });
    expect(await readUntil(again, [`id: ${first?.seq}`])).toContain('remoteAccessRequest');
    resumed.abort();
    await waitFor(() => feed.size === before, 'the resumed stream let go');
  });

  it('keeps a page opened without the token out', async () => {
    const before = browser.errors.length;
    const other = await browser.newPage();
    const response = await other.goto(`${base}/inspect`);
    expect(response?.status()).toBe(401);
    expect(await other.locator('svg').count()).toBe(0);
    await other.close();
    // Chromium reports the refused page, and the icon it then looks for at the server's root (not the inspector's).
    const refusedErrors = browser.errors.splice(before);
    expect(refusedErrors.filter((error) => !error.includes('401') && !error.includes('/favicon.ico'))).toEqual([]);
  });
});

describe('inspector turned off by configuration', () => {
  it('answers 404 on every inspector route, token or not', async () => {
    const world = await TestWorld.create({ config: { inspection: { enabled: false, token: 'a-configured-operator-token' } } });
    const { app, base } = await serve(world);
    try {
      expect(inspectorTokenFor(world.platform)).toBe('a-configured-operator-token');
      for (const path of ['/inspect', '/inspect/api/machines', '/inspect/api/events']) {
        expect((await fetch(`${base}${path}?token=a-configured-operator-token`)).status).toBe(404);
        expect((await fetch(`${base}${path}`)).status).toBe(404);
      }
    } finally {
      await app.close();
      await world.close();
    }
  });
});
