/**
 * The demo page in Debian's chromium: it loads as plain ES modules (no bundler), runs a small
 * width sweep in its Web Worker with a live plot, and its numbers equal the same library calls
 * in Node; cancel keeps what finished; with WebAssembly removed the js fallback gives the same
 * numbers. A screenshot of the finished page goes to test-artifacts/demo.png.
 */
import { readFileSync } from 'node:fs';
import { parseCsv } from '../../src/io/data-file.js';
import { gaussianData } from '../../src/network/data.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createJsBackend } from '../../src/backend/js/index.js';
import type { Backend } from '../../src/backend/types.js';
import { createWasmBackend } from '../../src/backend/wasm/index.js';
import type { DemoServer } from '../../src/cli/demo.js';
import { recordNumbers, runSweep, summarize, type PointRecord, type SweepSpec } from '../../src/experiments/index.js';
import { renderSvg } from '../../src/plot/render.js';
import { sweepPlotSpec } from '../../src/plot/sweep.js';
import { chromiumMissing, disableWasm, launchChromium, maxRelDiff, screenshot, startServer, watchErrors } from './chromium.js';

// The sweep the tests type into the form: 3 widths (n = m) x tanh, sigmoid x 2 seeds.
const FORM = { wFrom: '16', wTo: '48', wStep: '16', seeds: '2' };
const POINTS = 3 * 2 * 2;
const WAIT = { timeout: 60_000 };

interface ExportedJson {
  backend: string;
  spec: SweepSpec;
  records: PointRecord[];
  summary: unknown[];
}

async function openDemo(page: Page, server: DemoServer): Promise<void> {
  await page.goto(server.url);
  await page.waitForSelector('body[data-state=idle]', WAIT);
}

async function runSmallSweep(page: Page): Promise<void> {
  for (const [id, v] of Object.entries(FORM)) await page.fill(`#${id}`, v);
  await page.click('#run');
  await page.waitForSelector('body[data-state=done]', WAIT);
}

/** What the inspect dropdowns offer: the widths and seeds of each activation on offer. */
async function inspectChoices(page: Page): Promise<Record<string, { widths: number[]; seeds: Record<number, number[]> }>> {
  const values = (id: string) => page.$$eval(`#${id} option`, (o) => o.map((x) => (x as HTMLOptionElement).value));
  const out: Record<string, { widths: number[]; seeds: Record<number, number[]> }> = {};
  for (const act of await values('iAct')) {
    await page.selectOption('#iAct', act);
    const widths = (await values('iWidth')).map(Number);
    const seeds: Record<number, number[]> = {};
    for (const w of widths) {
      await page.selectOption('#iWidth', String(w));
      seeds[w] = (await values('iSeed')).map(Number);
    }
    out[act] = { widths, seeds };
  }
  return out;
}

/** The same map built from the records a sweep finished. */
function finishedPoints(records: PointRecord[]): Record<string, { widths: number[]; seeds: Record<number, number[]> }> {
  const out: Record<string, { widths: number[]; seeds: Record<number, number[]> }> = {};
  for (const r of records) {
    const a = (out[r.activation] ??= { widths: [], seeds: {} });
    if (!a.widths.includes(r.m)) a.widths.push(r.m);
    (a.seeds[r.m] ??= []).push(r.seed);
  }
  for (const a of Object.values(out)) {
    a.widths.sort((x, y) => x - y);
    for (const s of Object.values(a.seeds)) s.sort((x, y) => x - y);
  }
  return out;
}

/**
 * Text of the figure in `box` that reaches past the right edge of its SVG or of the box (a
 * legend cut off, measured in the browser's own fonts), as "label: overshoot px".
 */
async function textOutside(page: Page, box: string): Promise<string[]> {
  return page.$eval(box, (el) => {
    const svg = el.querySelector('svg')!;
    const edge = Math.min(svg.getBoundingClientRect().right, el.getBoundingClientRect().right);
    return [...svg.querySelectorAll('text')].filter((t) => t.getBoundingClientRect().right > edge + 0.5)
      .map((t) => `${t.textContent}: ${(t.getBoundingClientRect().right - edge).toFixed(1)} px`);
  });
}

async function downloadText(page: Page, button: string): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  return readFileSync((await dl.path())!, 'utf8');
}

/** The same sweep computed in Node with the same library calls the worker makes. */
async function nodeRecords(spec: SweepSpec, backend: Backend): Promise<PointRecord[]> {
  const res = await runSweep(spec, { backend, onRecord: () => {}, yieldBetweenPoints: false });
  expect(res.status).toBe('complete');
  return res.records;
}

/** Records without numbers: every key, label and flag must match exactly. */
function shape(r: PointRecord): string {
  return JSON.stringify(recordNumbers(r), (_k, v) => (typeof v === 'number' ? 0 : v));
}

// Which fields come from where: the empirical NTK (wasm kernels and the engine-independent
// Rng) and the theory (trapezoid quadrature and Mehler series through the engine's Math.exp,
// Math.tanh, ...; Node 20 and a current chromium ship different V8 versions whose Math.*
// results differ in the last bit for some arguments). Error bounds are rounding-noise
// estimates themselves and are compared on the scale of lambda_max instead.
const isErrorBound = (k: string) => k.endsWith('_error');
// bound.ratio = lambda_min(K) / bound carries the rounding of both lambda_min(K) (empirical) and
// the bound (theory, engine-dependent Math.*): it is compared at the larger of the two tolerances
// (with the relaxed build, whose K rounds differently, it measured 1.4e-12 against the theory's
// last-bit differences; against js, lambda_min's).
const isRatio = (k: string) => k === 'bound.ratio';
const isTheory = (k: string) => /^(lambda_1|inf_|nngp_|bound\.)/.test(k) && !isRatio(k);

function expectSameNumbers(browser: PointRecord[], node: PointRecord[], tol: { empirical: number; theory: number }): void {
  expect(browser.length).toBe(node.length);
  for (let i = 0; i < node.length; i++) {
    const b = browser[i]!, n = node[i]!;
    expect(shape(b), `record ${i} (${n.key})`).toBe(shape(n));
    const emp = maxRelDiff(b, n, (k) => !isErrorBound(k) && !isTheory(k) && !isRatio(k));
    expect(emp.rel, `record ${i} ${emp.at}`).toBeLessThanOrEqual(tol.empirical);
    const th = maxRelDiff(b, n, isTheory);
    expect(th.rel, `record ${i} ${th.at}`).toBeLessThanOrEqual(tol.theory);
    const ratio = maxRelDiff(b, n, isRatio);
    expect(ratio.rel, `record ${i} ${ratio.at}`).toBeLessThanOrEqual(Math.max(tol.empirical, tol.theory));
    expect(Math.abs(b.lambda_min_error - n.lambda_min_error)).toBeLessThanOrEqual(1e-12 * n.lambda_max);
    expect(Math.abs(b.lambda_max_error - n.lambda_max_error)).toBeLessThanOrEqual(1e-12 * n.lambda_max);
  }
}

// Outside the suites below, whose setup would otherwise only mark their tests skipped.
describe('browser tests', () => {
  it('have Debian\'s chromium to drive (a failure, not a skip, when it is missing)', () => {
    expect(chromiumMissing()).toBeNull();
  });
});

describe('browser demo in chromium', () => {
  let server: DemoServer;
  let browser: Browser;
  let wasmNode: Backend;
  const jsNode = createJsBackend();
  // One page for the wasm tests, which run in order on it (load, sweep, cancel): loading the
  // page is the slow part, so it happens once.
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let exported: ExportedJson | null = null;

  beforeAll(async () => {
    [server, browser, wasmNode] = await Promise.all([startServer(), launchChromium(), createWasmBackend({ threads: 1 })]);
    context = await browser.newContext({ viewport: { width: 1360, height: 1000 }, acceptDownloads: true });
    page = await context.newPage();
    errors = watchErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await wasmNode?.dispose();
  });
  afterEach(() => {
    expect(errors).toEqual([]);
  });

  it('loads as ES modules without a bundler, cross-origin isolated, on the wasm backend', async () => {
    const res = await page.goto(server.url);
    expect(res?.headers()['cross-origin-opener-policy']).toBe('same-origin');
    expect(res?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
    await page.waitForSelector('body[data-state=idle]', WAIT);
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    // Cross-origin isolated: shared memory, so the worker runs the kernels on a pool of nested
    // Web Workers, one thread per core (at most 8).
    const cores = Math.min(8, await page.evaluate(() => navigator.hardwareConcurrency));
    // Chromium runs relaxed SIMD: the default (auto) build is the relaxed one.
    expect(await page.textContent('#backendNote')).toBe(`wasm backend (relaxed SIMD, ${cores} thread${cores > 1 ? 's' : ''}) · cross-origin isolated`);
    // One checkbox per activation the library knows; tanh and sigmoid (Figure 1) ticked.
    expect(await page.$$eval('input[name=activation]', (els) => els.map((e) => `${(e as HTMLInputElement).value}:${(e as HTMLInputElement).checked}`)))
      .toEqual(['tanh:true', 'sigmoid:true', 'erf:false', 'gelu:false', 'softplus:false', 'sin:false', 'relu:false']);
    // Bad input is explained next to the form and does not start anything.
    await page.fill('#wTo', '10');
    expect(await page.textContent('#formError')).toContain('width to: is below "from"');
    await page.click('#run');
    expect(await page.getAttribute('body', 'data-state')).toBe('idle');
    await page.fill('#wTo', '400');
    expect(await page.isHidden('#formError')).toBe(true);
  });

  it('runs a small sweep in its Web Worker with a live plot, and its numbers equal Node\'s', async () => {
    await runSmallSweep(page);

    expect(await page.$eval('#progress', (e) => (e as HTMLProgressElement).value)).toBe(1);
    expect(await page.textContent('#status')).toMatch(new RegExp(`^Done: ${POINTS} points in `));
    // Live: the figure was drawn while points were still missing, and at the end with all.
    const drawn = (await page.getAttribute('#sweepPlot', 'data-drawn'))!.split(',').map(Number);
    expect(drawn.some((k) => k > 0 && k < POINTS)).toBe(true);
    expect(drawn.at(-1)).toBe(POINTS);
    expect(await page.$$eval('#sweepPlot svg', (s) => s.length)).toBe(1);
    // Every legend and label fits inside the figure, in the browser's own fonts.
    expect(await textOutside(page, '#sweepPlot')).toEqual([]);
    expect(await page.$$eval('#summaryTable tbody tr', (r) => r.length)).toBe(6);

    const doc = JSON.parse(await downloadText(page, '#exportJson')) as ExportedJson;
    exported = doc;
    expect(doc.backend).toMatch(/^wasm backend \(relaxed SIMD, \d+ threads?\)$/);
    expect(doc.spec).toMatchObject({ vary: 'nm', values: [16, 32, 48], activations: ['tanh', 'sigmoid'], seeds: [0, 1], sigma0: 1, d: 100, depth: 2 });
    expect(doc.records.length).toBe(POINTS);
    // The lambda_min(K) must actually be positive numbers (not nulls that compare equal).
    for (const r of doc.records) expect(r.lambda_min).toBeGreaterThan(0);
    const node = await nodeRecords(doc.spec, wasmNode);
    expectSameNumbers(doc.records, node, { empirical: 1e-12, theory: 1e-12 });
    expect(doc.summary).toEqual(JSON.parse(JSON.stringify(summarize(doc.records))));

    const csv = (await downloadText(page, '#exportCsv')).trimEnd().split('\n');
    expect(csv.length).toBe(POINTS + 1);
    const header = csv[0]!.split(',');
    const col = header.indexOf('lambda_min');
    expect(col).toBeGreaterThan(-1);
    expect(csv.slice(1).map((l) => Number(l.split(',')[col]))).toEqual(doc.records.map((r) => r.lambda_min));
    const summaryCsv = (await downloadText(page, '#exportSummary')).trimEnd().split('\n');
    expect(summaryCsv.length).toBe(6 + 1);
    const figure = await downloadText(page, '#exportSvg');
    expect(figure).toMatch(/^<svg[\s\S]*<\/svg>$/);
    // The downloaded figure and the CLI's (drawn in Node, text widths estimated by Vega) keep
    // every legend and label inside the image once chromium draws them in its own fonts.
    const cli = await renderSvg(sweepPlotSpec(summarize(doc.records), { vary: 'nm', title: 'Figure 1', subtitle: 'setup' }));
    for (const svg of [figure, cli]) {
      const view = await context.newPage();
      await view.setContent(`<body style="margin:0">${svg}</body>`);
      expect(await textOutside(view, 'body')).toEqual([]);
      await view.close();
    }

    // The widest point up close, inspected by itself once the sweep ended.
    await page.waitForSelector('#inspectCard[data-state=done]', WAIT);
    expect(await page.textContent('#inspectStatus')).toMatch(/^tanh, m = 48, n = 48, seed 0: λmin\(K\) = /);
    const lminShown = Number(/λmin\(K\) = ([0-9.e+-]+)/.exec((await page.textContent('#inspectStatus'))!)![1]);
    const rec = doc.records.find((r) => r.activation === 'tanh' && r.m === 48 && r.seed === 0)!;
    expect(Math.abs(lminShown - rec.lambda_min) / rec.lambda_min).toBeLessThan(1e-3); // 4 digits shown
    expect(await page.$$eval('#heatmap svg path, #heatmap svg rect', (e) => e.length)).toBeGreaterThan(0);
    expect(await page.$$eval('#histogram svg', (e) => e.length)).toBe(1);

    await screenshot(page, 'demo.png');
    // (After the screenshot: reading the choices walks through the dropdowns.)
    expect(await inspectChoices(page)).toEqual(finishedPoints(doc.records));
  });

  it('cancel stops a long sweep at once and keeps the finished points', async () => {
    await page.fill('#wFrom', '40');
    await page.fill('#wTo', '4000');
    await page.fill('#wStep', '40');
    await page.click('#run');
    // The close-up of the previous sweep's point is gone with that sweep.
    expect(await page.$$eval('#heatmap svg, #histogram svg', (e) => e.length)).toBe(0);
    expect(await page.getAttribute('#inspectCard', 'data-state')).toBeNull();
    await page.waitForSelector('#summaryTable tbody tr', WAIT);
    await page.click('#cancel');
    await page.waitForSelector('body[data-state=cancelled]', { timeout: 5000 });
    expect(await page.textContent('#status')).toMatch(/^Cancelled after \d+ points? /);
    const rows = await page.$$eval('#summaryTable tbody tr', (r) => r.length);
    expect(rows).toBeGreaterThan(0);
    expect(await page.isEnabled('#run')).toBe(true);
    expect(await page.isEnabled('#exportJson')).toBe(true);
    const doc = JSON.parse(await downloadText(page, '#exportJson')) as ExportedJson;
    const done = doc.records.length, total = 100 * 2 * 2;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(total);
    expect(await page.textContent('#status')).toMatch(new RegExp(`^Cancelled after ${done} points? `));
    // No stale progress: no "computing ..." or time left, and the bar shows what finished.
    expect(await page.textContent('#progressText')).toBe(`Stopped with ${done} of ${total} points finished. Any finished point can be looked at up close at the bottom of the page.`);
    expect(await page.$eval('#progress', (e) => (e as HTMLProgressElement).value)).toBeCloseTo(done / total, 12);
    // Only finished points can be chosen for a closer look (not the widths never reached).
    const offered = await inspectChoices(page);
    expect(offered).toEqual(finishedPoints(doc.records));
    expect(Math.max(...Object.values(offered).flatMap((a) => a.widths))).toBeLessThan(4000);
    // The page still works afterwards (a fresh worker when the old one was stopped mid-point).
    await page.fill('#wFrom', '16');
    await page.fill('#wTo', '16');
    await page.fill('#seeds', '1');
    expect(await page.isHidden('#formError')).toBe(true);
    await page.click('#run');
    await page.waitForSelector('body[data-state=done]', WAIT);
    expect(await page.textContent('#status')).toMatch(/^Done: 2 points in /);
  });

  it('runs on the user\'s own data from the file picker, as Node does on the same file', async () => {
    await openDemo(page, server);
    // Well-spread data (Gaussian rows, written with round-trip decimals): lambda_1 is not tiny,
    // so the theory columns compare at the usual tolerance.
    const G = gaussianData({ n: 40, d: 8, seed: 5 });
    const rows = Array.from({ length: 40 }, (_, i) => Array.from(G.data.subarray(i * 8, i * 8 + 8)).join(','));
    const text = `${'abcdefgh'.split('').join(',')}\n${rows.join('\n')}\n`;
    await page.setInputFiles('#dataFile', { name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
    await page.waitForFunction(() => document.getElementById('dataInfo')!.textContent!.startsWith('mine.csv: 40 rows'));
    expect(await page.inputValue('#d')).toBe('8');
    // n = m up to 48 needs 48 rows: the library's message, next to the form.
    await page.fill('#wFrom', '16'); await page.fill('#wTo', '48'); await page.fill('#wStep', '16');
    expect(await page.textContent('#formError')).toContain('mine.csv has 40 rows but n = 48 needs 48');
    await page.fill('#wTo', '32');
    await page.fill('#seeds', '1');
    await page.click('#run');
    await page.waitForSelector('body[data-state=done]', WAIT);
    const doc = JSON.parse(await downloadText(page, '#exportJson')) as ExportedJson;
    expect(doc.spec.data).toMatchObject({ file: 'mine.csv', rows: 40, cols: 8 });
    expect(doc.records.every((r) => r.d === 8 && r.data_hash === doc.spec.data!.hash)).toBe(true);
    const X = parseCsv(text, 'mine.csv');
    const res = await runSweep(doc.spec, { backend: wasmNode, data: X, onRecord: () => {}, yieldBetweenPoints: false });
    expectSameNumbers(doc.records, res.records, { empirical: 1e-12, theory: 1e-9 });
    await page.setInputFiles('#dataFile', []);
  });

  it('with WebAssembly removed, falls back to js and gives the same numbers', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1360, height: 1000 }, acceptDownloads: true });
    const page = await ctx.newPage();
    const errs = watchErrors(page);
    await disableWasm(page);
    await openDemo(page, server);
    expect(await page.evaluate(() => typeof (globalThis as { WebAssembly?: unknown }).WebAssembly)).toBe('undefined');
    expect(await page.textContent('#backendNote')).toMatch(/^js backend \(wasm unavailable: WebAssembly is not available\)/);
    await runSmallSweep(page);
    const doc = JSON.parse(await downloadText(page, '#exportJson')) as ExportedJson;
    expect(doc.backend).toMatch(/^js backend \(wasm unavailable/);
    // The js backend in Node: same code, but its activations and the theory go through the
    // engine's Math.* (see above), so K differs from Node's in the last bits.
    expectSameNumbers(doc.records, await nodeRecords(doc.spec, jsNode), { empirical: 1e-11, theory: 1e-12 });
    // And the fallback agrees with the wasm backend (GEMM summation order differs: rounding).
    const wasmNodeRecords = await nodeRecords(doc.spec, wasmNode);
    expectSameNumbers(doc.records, wasmNodeRecords, { empirical: 1e-10, theory: 1e-12 });
    // And with the wasm run in the same browser (the sweep test above, which runs first).
    expect(exported, 'the wasm sweep test ran before this one').not.toBeNull();
    expectSameNumbers(doc.records, exported!.records, { empirical: 1e-10, theory: 1e-12 });
    expect(errs).toEqual([]);
    await ctx.close();
  });
});
