/**
 * The V8 flag the wasm backend sets takes effect on the Node that runs this test (.ci/run runs
 * it on Node 20, 22 and 24): once createWasmBackend has set --no-wasm-dynamic-tiering, V8
 * compiles a wasm function straight to optimized (TurboFan) code on its first call, with no
 * baseline (Liftoff) tier to outgrow. The control calls the same functions with V8's defaults
 * and finds Liftoff code, so the check tells the two apart. Inspected with V8's natives
 * (%IsTurboFanFunction, %IsLiftoffFunction) in a fresh process, since flags are process-wide.
 * Needs dist/ (npm test builds it first).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const PROBE = resolve(ROOT, 'test/helpers/tiering-probe.mjs');

interface Probe { node: string; called: number; turbofan: number; liftoff: number }

function probe(mode: 'backend' | 'plain'): Probe {
  if (!existsSync(resolve(ROOT, 'dist/backend/wasm/index.js'))) throw new Error('dist/ is missing: run `npm run build` before these tests');
  return JSON.parse(execFileSync(process.execPath, [PROBE, mode], { encoding: 'utf8' })) as Probe;
}

describe(`wasm tiering on Node ${process.version}`, () => {
  it('after createWasmBackend, a wasm function is TurboFan code from its first call', () => {
    const r = probe('backend');
    expect(r.node).toBe(process.version);
    expect(r.called).toBeGreaterThan(0);
    expect(r.turbofan).toBe(r.called);
    expect(r.liftoff).toBe(0);
  });

  it('with V8 defaults the same first calls run Liftoff code (the check tells them apart)', () => {
    const r = probe('plain');
    expect(r.called).toBeGreaterThan(0);
    expect(r.liftoff).toBe(r.called);
    expect(r.turbofan).toBe(0);
  });
});
