import { existsSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import { chromium, type Page } from 'playwright-core';
import { createHttpApp } from '../src/http/http-app.js';
import { inspectorTokenFor } from '../src/http/inspector-token.js';
import type { InspectionRecord } from '../src/inspection/inspection-log.js';
import { ActorDirectory } from '../src/inspection/web/actor-directory.js';
import { exportMachineConfig } from '../src/inspection/web/machine-export.js';
import { sequenceToMermaid } from '../src/inspection/web/mermaid-export.js';
import { sequenceOf } from '../src/inspection/web/sequence-model.js';
import { statechartOf } from '../src/inspection/web/statechart-model.js';
import { ActorSnapshotEntity } from '../src/persistence/entities/actor-snapshot.entity.js';
import type { Platform } from '../src/platform/platform.js';
import { measure, measureAsync, percentile, printTable, type BenchModule, type Budget, type Measurement } from './bench-kit.js';
import { startBenchPlatform } from './bench-platform.js';

const ACTORS = 1_000;
const MESSAGES = 60;
const PG = 'txn:bench:sixty';
const CHROMIUM = '/usr/bin/chromium';
const SERVER_BUDGET: Budget = { maxOps: 2_000, maxMs: 500, warmupOps: 10 };
const QUERY_BUDGET: Budget = { maxOps: 50, maxMs: 2_000, warmupOps: 3 };
/** In the page: renders per measurement, and a time bound (ms) for each. */
const PAGE_RUNS = 20;
const PAGE_MS = 3_000;
const NAVIGATIONS = 5;

/** 1,000 persisted directors, as the actor list shows them after a busy hour. */
async function seedActors(platform: Platform): Promise<void> {
  const repository = platform.dataSource.getRepository(ActorSnapshotEntity);
  const now = Date.now();
  for (let start = 0; start < ACTORS; start += 100) {
    const rows = Array.from({ length: Math.min(100, ACTORS - start) }, (_, offset) => {
      const i = start + offset;
      const done = i % 3 !== 0;
      return {
        actorId: `txn:remote-access:bench${String(i).padStart(5, '0')}`,
        kind: 'director:remote-access',
        machineVersion: 1,
        status: done ? ('done' as const) : ('active' as const),
        processGroup: `txn:remote-access:bench${String(i).padStart(5, '0')}`,
        stateValue: done ? 'completed' : 'awaitingRemoteData',
        snapshot: {},
        sequence: 2,
        updatedAt: now - i,
      };
    });
    await repository.insert(rows);
  }
}

/** One process group of 60 messages between terminals, processors and an issuing system, a transition after each. */
function sixtyMessages(): InspectionRecord[] {
  const records: InspectionRecord[] = [];
  const hops = [
    { kind: 'message-in' as const, actorId: 'processor:user', from: 'usr:alice', to: 'sp:bench', transport: 'dev:mobile:alice-phone' },
    { kind: 'message-out' as const, actorId: 'outbox:iss:ticket:acme', from: 'sp:bench', to: 'iss:ticket:acme', transport: 'iss:ticket:acme' },
    { kind: 'message-in' as const, actorId: PG, from: 'iss:ticket:acme', to: 'sp:bench', transport: 'external' },
    { kind: 'message-out' as const, actorId: 'outbox:dev:gate:g1', from: 'sp:bench', to: 'dev:gate:g1', transport: 'dev:gate:g1' },
  ];
  for (let i = 0; i < MESSAGES; i++) {
    const hop = hops[i % hops.length];
    if (hop === undefined) throw new Error(`no hop ${i}`);
    records.push({ processGroup: PG, actorId: hop.actorId, kind: hop.kind, type: `benchMessage${i}`, detail: { id: `m${i}`, from: hop.from, to: hop.to, issuedAt: i, re: null, signers: [hop.from], sealed: true, verified: true, transport: hop.transport, fields: { n: i, note: 'x'.repeat(40) } } });
    records.push({ processGroup: PG, actorId: i % 2 === 0 ? PG : 'processor:ticket-issuer', kind: 'transition', type: `bench.step${i}`, detail: { kind: 'director:remote-access', from: 'awaitingRemoteData', to: 'awaitingRemoteData' } });
  }
  return records;
}

function fromSamplesMs(name: string, samplesMs: readonly number[]): Measurement {
  const samplesUs = samplesMs.map((ms) => ms * 1000);
  const totalUs = samplesUs.reduce((sum, value) => sum + value, 0);
  return { name, ops: samplesUs.length, opsPerSec: samplesUs.length / (totalUs / 1e6), meanUs: totalUs / Math.max(1, samplesUs.length), medianUs: percentile(samplesUs, 0.5), p99Us: percentile(samplesUs, 0.99) };
}

/** Times `render` (a page-side expression of one rendering plus layout) up to PAGE_RUNS times within PAGE_MS. */
async function timeInPage(page: Page, name: string, setup: string, render: string): Promise<Measurement> {
  const samples = await page.evaluate<number[]>(`(async () => {
    ${setup}
    const samples = [];
    const deadline = performance.now() + ${PAGE_MS};
    for (let i = 0; i < ${PAGE_RUNS} && performance.now() < deadline; i++) {
      const started = performance.now();
      ${render}
      void document.body.offsetHeight;
      samples.push(performance.now() - started);
    }
    return samples;
  })()`);
  return fromSamplesMs(name, samples);
}

async function navigations(page: Page, name: string, url: string, ready: string): Promise<Measurement> {
  const samples: number[] = [];
  for (let i = 0; i < NAVIGATIONS; i++) {
    const started = performance.now();
    await page.goto(url);
    await page.waitForSelector(ready);
    samples.push(performance.now() - started);
  }
  return fromSamplesMs(name, samples);
}

async function browserRows(platform: Platform, base: string): Promise<Measurement[]> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const inspect = (hash: string) => `${base}/inspect?token=${encodeURIComponent(inspectorTokenFor(platform))}#${hash}`;
    const rows: Measurement[] = [];
    rows.push(await navigations(page, `open Actors view, ${ACTORS} actors (fetch+draw)`, inspect('/actors'), 'body[data-ready="actors"]'));
    rows.push(await navigations(page, `open ${MESSAGES}-message sequence (fetch+draw)`, inspect(`/processes/${encodeURIComponent(PG)}`), 'svg.sequence g.step[data-type="benchMessage59"]'));
    await page.goto(inspect('/actors'));
    await page.waitForSelector('body[data-ready="actors"]');
    const inspector = 'window.tesseraInspector';
    rows.push(
      await timeInPage(
        page,
        `draw actor list, ${ACTORS} rows`,
        `const list = await ${inspector}.api('actors?limit=${ACTORS}'); if (list.length !== ${ACTORS}) throw new Error('got ' + list.length); const table = document.createElement('table'); table.className = 'actors'; table.innerHTML = '<thead><tr><th>a</th><th>b</th><th>c</th><th>d</th><th>e</th><th>f</th></tr></thead>'; const body = document.createElement('tbody'); table.appendChild(body); document.getElementById('view').appendChild(table);`,
        `${inspector}.ActorsView.renderRows(body, list);`,
      ),
    );
    // The list drawn by the view itself (the renders above replaced its rows behind its back).
    await page.reload();
    await page.waitForSelector('body[data-ready="actors"]');
    rows.push(
      await timeInPage(
        page,
        '100 live actor updates into the list',
        `const list = await ${inspector}.api('actors?limit=${ACTORS}');`,
        `for (let k = 0; k < 100; k++) { const row = list[(i * 100 + k) % list.length]; ${inspector}.ActorsView.onActor(Object.assign({}, row, { stateValue: 'completed', status: 'done', updatedAt: Date.now() })); }`,
      ),
    );
    rows.push(
      await timeInPage(
        page,
        `draw ${MESSAGES}-message sequence (${MESSAGES * 2} steps)`,
        `const diagram = await ${inspector}.api('process-groups/${encodeURIComponent(PG)}/sequence'); const host = document.getElementById('view'); let svg = null;`,
        `if (svg !== null) svg.remove(); svg = ${inspector}.Sequence.render(diagram, { cursor: i % 2 === 0 ? null : 30 }); host.appendChild(svg);`,
      ),
    );
    rows.push(
      await timeInPage(
        page,
        'draw every machine statechart',
        `const charts = await ${inspector}.api('machines'); const host = document.getElementById('view'); let drawn = [];`,
        `drawn.forEach((svg) => svg.remove()); drawn = charts.map((chart) => host.appendChild(${inspector}.Statechart.render(chart, []))); if (drawn.length !== charts.length) throw new Error('charts');`,
      ),
    );
    if (pageErrors.length > 0) throw new Error(`page errors: ${pageErrors.join('; ')}`);
    return rows;
  } finally {
    await browser.close();
  }
}

export const inspectorBench: BenchModule = {
  name: 'inspector',
  async run() {
    const { platform, close } = await startBenchPlatform('benchinspector');
    let app: INestApplication | undefined;
    try {
      await seedActors(platform);
      await platform.inspection.record(sixtyMessages());
      const trace = await platform.inspection.processGroup(PG);
      const directory = new ActorDirectory(platform.dataSource, platform.catalog);
      const entries = platform.catalog.all();
      const charts = entries.map(statechartOf);
      const diagram = sequenceOf(PG, trace);
      printTable(`inspector, server side (${entries.length} machines, ${ACTORS} actors, ${MESSAGES} messages)`, [
        measure(`statecharts of all ${entries.length} machines`, () => entries.map(statechartOf), SERVER_BUDGET),
        measure(`Stately JSON of all ${entries.length} machines`, () => charts.map(exportMachineConfig), SERVER_BUDGET),
        measure(`sequence model, ${trace.length} trace rows`, () => sequenceOf(PG, trace), SERVER_BUDGET),
        measure(`Mermaid text, ${diagram.steps.length} steps`, () => sequenceToMermaid(diagram), SERVER_BUDGET),
        await measureAsync(`actor list query, ${ACTORS} rows with active states`, async () => {
          const list = await directory.list({ limit: ACTORS });
          if (list.length !== ACTORS) throw new Error(`listed ${list.length} actors`);
        }, QUERY_BUDGET),
      ]);
      if (!existsSync(CHROMIUM)) {
        console.log(`\n(inspector page rendering skipped: no ${CHROMIUM}; .ci/run installs Debian's chromium)`);
        return;
      }
      app = await createHttpApp(platform);
      await app.listen(0, '127.0.0.1');
      const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
      printTable('inspector page in headless Chromium (µs per render, layout included)', await browserRows(platform, base));
    } finally {
      await app?.close();
      await close();
    }
  },
};
