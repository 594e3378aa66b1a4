// Proves the inspector with the ticket plugin in real headless Chromium: a ticket purchase appears in the process list
// and its sequence view shows the purchase's messages 5901 ... 5909 in order between the right parties; a gate
// examination reaches the SP in the gate's data update and shows there with the uploaded examination response; every
// ticket director's machine is drawn in the machines view.
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { Page } from 'playwright-core';
import { Like } from 'typeorm';
import { createHttpApp } from '../../src/http/http-app.js';
import { inspectorTokenFor } from '../../src/http/inspector-token.js';
import { ActorSnapshotEntity } from '../../src/persistence/entities/index.js';
import { TicketExaminationResponseEntity } from '../../src/plugins/ticket/persistence/index.js';
import { TicketWorld } from '../helpers/ticket-world.js';
import type { AttachedDevice } from '../helpers/world.js';
import { gateOf, setUpGate, walletOf } from '../integration/ticket/gate-fixtures.js';
import { launchChromium, type HeadlessChromium } from './helpers/chromium.js';

jest.setTimeout(90_000);

/** Attribute values of every element matching a selector, in document order (evaluated in the page). */
function attributes(page: Page, selector: string, names: readonly string[]): Promise<(string | null)[][]> {
  return page.evaluate<(string | null)[][]>(`Array.from(document.querySelectorAll(${JSON.stringify(selector)})).map((node) => ${JSON.stringify(names)}.map((name) => node.getAttribute(name)))`);
}

/** The process group of the newest director of a kind (its actor ID). */
async function newestDirector(tickets: TicketWorld, kind: string): Promise<string> {
  const [row] = await tickets.world.platform.dataSource.getRepository(ActorSnapshotEntity).find({ where: { kind }, order: { updatedAt: 'DESC' }, take: 1 });
  if (row === undefined) throw new Error(`no ${kind} actor`);
  return row.actorId;
}

describe('inspector with the ticket plugin, in headless Chromium', () => {
  let tickets: TicketWorld;
  let app: INestApplication;
  let base: string;
  let token: string;
  let browser: HeadlessChromium;
  let page: Page;
  let alice: AttachedDevice;
  let gate: AttachedDevice;
  let ticketId = '';
  const inspect = (hash: string) => `${base}/inspect?token=${encodeURIComponent(token)}#${hash}`;
  const ready = (view: string) => page.waitForSelector(`body[data-ready="${view}"]`);

  beforeAll(async () => {
    tickets = await TicketWorld.create();
    app = await createHttpApp(tickets.world.platform);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    token = inspectorTokenFor(tickets.world.platform);
    alice = await tickets.world.user('alice');
    gate = await tickets.world.merchantDevice('gate', 'metro-1', 'metro');
    browser = await launchChromium({ width: 1600, height: 1000 });
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await tickets?.close();
  });

  afterEach(() => {
    expect(browser.errors).toEqual([]);
  });

  it('lists a ticket purchase live and draws its messages 5901 ... 5909 in order', async () => {
    await page.goto(inspect('/processes'));
    await ready('processes');
    await page.waitForSelector('#live-status[data-state="open"]');
    ticketId = (await tickets.buyTicket(alice, 'museum-metro-3')).ticketId;
    const pg = await newestDirector(tickets, 'director:ticket-purchase');
    expect(pg).toMatch(/^txn:ticket-purchase:/);
    await page.click(`ul.groups li[data-pg="${pg}"] a`);
    await page.waitForSelector(`svg.sequence[data-process-group="${pg}"] g.step[data-type="ticketPurchaseReceipt"]`);
    const roles = new Map((await attributes(page, 'svg.sequence g.lifeline', ['data-key', 'data-role'])).map(([key, role]) => [key, role]));
    const messages = (await attributes(page, 'svg.sequence g.step[data-kind="message"]', ['data-type', 'data-from', 'data-to'])).map(([type, from, to]) => `${type}: ${roles.get(from ?? '')} -> ${roles.get(to ?? '')}`);
    const types = messages.map((message) => message.split(':')[0]);
    // The first purchase also opens the user's card account and the issuer's account at the transaction processor.
    expect(types.filter((type) => type?.startsWith('accountOpen'))).toEqual(['accountOpenRequest', 'accountOpenRequest', 'accountOpenResponse', 'accountOpenResponse']);
    expect(types.filter((type) => !type?.startsWith('accountOpen'))).toEqual([
      'ticketPurchaseOrder', // 5901
      'issuerTicketPurchaseOrder', // 5902
      'electronicTicketIssuingCommission', // 5903
      'clearingRequest', // 5904
      'clearingResponse', // 5905
      'ticketClearingCompletion', // 5906
      'issuerTicketReceipt', // 5907
      'electronicTicketIssuing', // 5908
      'ticketPurchaseReceipt', // 5909
    ]);
    expect(messages[0]).toMatch(/^ticketPurchaseOrder: Mobile user terminal 100 -> /);
    expect(messages.at(-1)).toMatch(/ -> Mobile user terminal 100$/);
    expect(messages.find((message) => message.startsWith('issuerTicketPurchaseOrder'))).toMatch(/-> Ticket issuing system 107$/);
    expect(await page.textContent('svg.sequence g.step[data-type="ticketPurchaseOrder"]')).toContain('signed usr:alice → sp:');
    await page.click('svg.sequence g.step[data-type="electronicTicketIssuing"]');
    await page.waitForSelector('.step-detail pre.fields');
    expect(await page.textContent('.step-detail pre.fields')).toContain(ticketId);
  });

  it('shows a gate examination where it reaches the SP: the gate\'s data update carrying the examination response', async () => {
    await tickets.wallet(alice).registering.register(ticketId);
    await setUpGate(tickets.world, gate, 'museum-metro-3');
    const outcome = await walletOf(alice).presenting.present(ticketId, gate.credentials.deviceId);
    expect(outcome).toMatchObject({ outcome: 'examined', ticket: { variable: { couponsLeft: 2 } } });
    expect(gateOf(gate).state.transactionList).toHaveLength(1);

    await page.goto(inspect('/processes'));
    await ready('processes');
    await page.waitForSelector('#live-status[data-state="open"]');
    expect(await gate.runtime.dataUpdate()).toBe('updated');
    const [update] = await tickets.world.platform.dataSource.getRepository(ActorSnapshotEntity).find({ where: { kind: 'director:data-update', processGroup: Like('txn:data-update:%') }, order: { updatedAt: 'DESC' }, take: 1 });
    const pg = update?.actorId ?? '';
    await page.click(`ul.groups li[data-pg="${pg}"] a`);
    await page.waitForSelector(`svg.sequence[data-process-group="${pg}"] g.step[data-kind="message"]`);
    const lifelines = (await attributes(page, 'svg.sequence g.lifeline', ['data-role'])).flat();
    expect(lifelines[0]).toBe('Gate terminal 101');
    expect(lifelines).toContain('Service director');
    const messages = (await attributes(page, 'svg.sequence g.step[data-kind="message"]', ['data-type'])).flat();
    expect(messages).toEqual(['dataUpdateRequest', 'dataUpdateRequestResponse', 'uploadData', 'updateData']);
    // The upload carries the gate's transaction list compressed; the inspector shows the packet, and the director
    // comparing it (where the ticket service's hook verifies the examination response) before the update data.
    await page.click('svg.sequence g.step[data-type="uploadData"]');
    await page.waitForSelector('.step-detail pre.fields');
    expect(JSON.parse((await page.textContent('.step-detail pre.fields')) ?? '{}')).toMatchObject({ terminalId: gate.credentials.deviceId, merchantId: 'mer:metro', packetCount: 1 });
    await page.click('svg.sequence g.step[data-type="task.completed"]');
    expect(await page.textContent('.step-detail')).toMatch(/from state\s*comparing\s*to state\s*updated/);
    // What the SP made of it: the examination response, verified and accepted at reference.
    const responses = await tickets.world.platform.dataSource.getRepository(TicketExaminationResponseEntity).findBy({ ticketId });
    expect(responses).toEqual([expect.objectContaining({ gateId: gate.credentials.deviceId, examinationNumber: 1, result: 'accepted' })]);
  });

  it('draws every ticket director\'s machine in the machines view', async () => {
    const kinds = tickets.world.platform.catalog.all().map((entry) => entry.kind).filter((kind) => kind.startsWith('director:ticket-'));
    expect(kinds).toEqual(expect.arrayContaining(['director:ticket-order', 'director:ticket-purchase', 'director:ticket-registration', 'director:ticket-setup', 'director:ticket-transfer', 'director:ticket-modification', 'director:ticket-refund', 'director:ticket-installation']));
    await page.goto(inspect('/machines'));
    await ready('machines');
    for (const kind of kinds) {
      const chart = page.locator(`svg.statechart[data-kind="${kind}"]`);
      expect(await chart.count()).toBe(1);
      expect(await chart.locator('g.state').count()).toBeGreaterThan(1);
      expect(await chart.locator('g.transition-label').count()).toBeGreaterThan(0);
    }
    const purchase = page.locator('svg.statechart[data-kind="director:ticket-purchase"]');
    expect((await purchase.locator('g.transition-label').allTextContents()).join('\n')).toMatch(/external\.reply/);
  });
});
