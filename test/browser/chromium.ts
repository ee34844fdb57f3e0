/**
 * Launching Debian's chromium through playwright-core (no browser download), the demo server,
 * and comparing records computed in the browser with the same library calls in Node.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startDemoServer, type DemoServer } from '../../src/cli/demo.js';
import { recordNumbers, type PointRecord } from '../../src/experiments/records.js';

/** The chromium binary (Debian's package; CHROMIUM_PATH overrides). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Repository root (tests run from it). */
export const ROOT = process.cwd();

/** Where screenshots go (git-ignored). */
export const ARTIFACTS = resolve(ROOT, 'test-artifacts');

/** Why the browser tests cannot run here, or null when chromium is installed. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `chromium not found at ${CHROMIUM}: the browser tests need Debian's chromium ` +
    '(apt-get update && apt-get install -y chromium; .ci/run does this) or CHROMIUM_PATH set to a Chromium binary';
}

/**
 * Starts headless chromium. Fails (never skips) when it is missing: CI installs it in .ci/run.
 * @param extraArgs more command-line switches.
 */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // playwright-core gives every launch a fresh temporary profile (--user-data-dir).
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ...extraArgs,
    ],
  });
}

/** Starts the demo server on a free port; fails with a clear message when dist/ is not built. */
export async function startServer(opts: { isolation?: boolean } = {}): Promise<DemoServer> {
  if (!existsSync(resolve(ROOT, 'dist/index.js')) || !existsSync(resolve(ROOT, 'dist/experiments/index.js'))) {
    throw new Error('dist/ is not built: run npm run build first (npm test does)');
  }
  return startDemoServer({ port: 0, root: ROOT, ...opts });
}

/** Collects uncaught errors and console errors of a page (and its workers). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') errors.push(`worker console: ${m.text()}`); }));
  return errors;
}

/**
 * Removes WebAssembly from a page and from the demo's worker before any of their code runs:
 * an init script for the page, and the worker script rewritten on its way in (Playwright's
 * init scripts do not reach workers, and chromium no longer honours --js-flags=--noexpose-wasm).
 */
export async function disableWasm(page: Page): Promise<void> {
  await page.addInitScript(() => { delete (globalThis as { WebAssembly?: unknown }).WebAssembly; });
  await page.route('**/demo/worker.js', async (route) => {
    const response = await route.fetch();
    // Import declarations are hoisted, but nothing imported touches WebAssembly until the
    // first message asks for a backend: this line runs before that.
    await route.fulfill({ response, body: `delete globalThis.WebAssembly;\n${await response.text()}` });
  });
}

/** Saves a full-page screenshot under test-artifacts/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = resolve(ARTIFACTS, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Every number of a value, by path (`bound.c0`, `lemma42.0.1`), for field-by-field comparison. */
export function numbersOf(v: unknown, prefix = '', out: Map<string, number> = new Map()): Map<string, number> {
  if (typeof v === 'number') out.set(prefix, v);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) numbersOf(x, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

/**
 * The largest relative difference between two records over the numeric fields (timings and
 * other run facts left out: see recordNumbers) whose path `fields` accepts.
 */
export function maxRelDiff(a: PointRecord, b: PointRecord, fields: (path: string) => boolean): { rel: number; at: string } {
  const na = numbersOf(recordNumbers(a)), nb = numbersOf(recordNumbers(b));
  let rel = 0, at = '';
  for (const [k, x] of na) {
    if (!fields(k)) continue;
    const y = nb.get(k);
    if (y === undefined) return { rel: Infinity, at: `${k} missing` };
    const r = x === y ? 0 : Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y));
    if (r > rel) { rel = r; at = k; }
  }
  return { rel, at };
}
