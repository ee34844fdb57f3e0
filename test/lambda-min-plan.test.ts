/**
 * lambdaMin's cost model (issue 17 item 3): the DECISION between Cholesky + Lanczos and the
 * tridiagonal route, never a time. Unit checks of the planner on synthetic Lanczos progress
 * (the rate decides, the budget bounds what a losing run spends), then the routes lambdaMin
 * takes on spectra that should go each way.
 */
import { describe, expect, it } from 'vitest';
import { eigvalsh, lambdaMin } from '../src/linalg/index.js';
import { BUDGET, costModel, LanczosPlanner, MIN_PROBE, SHIFT_HORIZON, WIN } from '../src/linalg/lambda-min-plan.js';
import type { LanczosProgress } from '../src/linalg/lanczos.js';
import { jsCase, wasm2Case, wasmCase } from './helpers/backends.js';
import { randomArray } from './helpers/reference.js';
import { toeplitz121, withSpectrum } from './helpers/spectra.js';

/**
 * Progress at step m of a run whose relative residual is rel(m), no usable gap (theta2 = 0), or
 * a gap with lambda_min well inside it and lambda_2 known to `error2` (default: a thousandth of
 * the gap, i.e. confirmed).
 */
function progress(m: number, rel: number, gap?: { rho: number; lambda2: number; error2?: number }): LanczosProgress {
  if (!gap) return { m, rel, theta1: 1, theta2: 0, predicted: rel, error2: Infinity };
  const width = gap.lambda2 - gap.rho;
  return { m, rel, theta1: 1 / gap.rho, theta2: 1 / gap.lambda2, predicted: 1e-3 * width, error2: gap.error2 ?? 1e-3 * width };
}

/** Feeds steps 1.. until the planner stops or `maxSteps`; returns the step it stopped at (0: never). */
function run(plan: LanczosPlanner, rel: (m: number) => number, maxSteps: number, gap?: { rho: number; lambda2: number; error2?: number }): number {
  for (let m = 1; m <= maxSteps; m++) if (plan.update(progress(m, rel(m), gap))) return m;
  return 0;
}

describe('the cost model', () => {
  it('prices the routes as their flop counts say, per backend', async () => {
    const one = costModel(1000, await wasmCase.get()), two = costModel(1000, await wasm2Case.get());
    const js = costModel(1000, await jsCase.get());
    for (const m of [one, two, js]) {
      // n^3/3 multiply-adds against 4n^3/3 flops, half of them memory-bound.
      expect(m.factor).toBeLessThan(0.25 * m.tridiagonal);
      expect(m.step(100)).toBeGreaterThan(m.step(1));
      // A step is O(n^2): hundreds fit in the O(n^3) tridiagonal route at n = 1000.
      expect(m.tridiagonal / m.step(50)).toBeGreaterThan(100);
    }
    // Two threads split the factorization; the solve only from n = 1024 on (cache-resident below).
    expect(two.factor).toBeLessThan(one.factor);
    expect(two.step(1)).toBe(one.step(1));
    expect(costModel(2000, await wasm2Case.get()).step(1)).toBeLessThan(costModel(2000, await wasmCase.get()).step(1));
    // The model grows as n^3 for the dense parts; the two-stage route (both orders here) also
    // has O(n^2) parts (bulge chasing, QL), which grow 4x.
    const big = costModel(2000, await wasmCase.get());
    expect(big.factor / one.factor).toBeCloseTo(8, 6);
    expect(big.tridiagonal / one.tridiagonal).toBeGreaterThan(6.5);
    expect(big.tridiagonal / one.tridiagonal).toBeLessThan(8);
    expect(LanczosPlanner.worthStarting(one)).toBe(true);
  });
});

describe('LanczosPlanner decides by the convergence rate', async () => {
  const model = costModel(1000, await wasmCase.get());
  const target = 1e-14;

  it('fast convergence (a decade per step): goes on to the end', () => {
    const plan = new LanczosPlanner(model, target);
    expect(run(plan, (m) => 10 ** -m, 14)).toBe(0);
    expect(plan.decision).toBe('continue');
  });

  it('a rate that needs more steps than the tridiagonal route costs: leaves right after the probe', () => {
    const plan = new LanczosPlanner(model, target);
    // 0.97 per step: ~1000 more steps to 1e-14, each ~1 ms against a ~0.6 s tridiagonal route.
    expect(run(plan, (m) => 0.97 ** m, 300)).toBe(MIN_PROBE);
    expect(plan.decision).toBe('tridiagonal');
    expect(plan.reason).toMatch(new RegExp(`^cost model: after ${MIN_PROBE} solves finishing Lanczos would cost [\\d.]+ times the tridiagonal route`));
    let probe = model.factor;
    for (let m = 1; m <= MIN_PROBE; m++) probe += model.step(m);
    expect(plan.spent).toBeCloseTo(probe, 12);
    expect(plan.spent).toBeLessThan(0.25 * model.tridiagonal);
  });

  it('a rate that would finish below the tridiagonal route from here, but not with what was spent: leaves', () => {
    const plan = new LanczosPlanner(model, target);
    // 0.88 per step: the steps left cost less than the tridiagonal route, the whole route more
    // than WIN of it (lambdaMin would end up slower than eigvalsh: leaving costs less).
    expect(run(plan, (m) => 0.88 ** m, 300)).toBe(MIN_PROBE);
    expect(plan.decision).toBe('tridiagonal');
    const [, finish, total] = /would cost ([\d.]+) times the tridiagonal route \(([\d.]+) with what was spent\)/.exec(plan.reason)!.map(Number);
    expect(finish).toBeLessThan(1);
    expect(total).toBeGreaterThan(WIN);
  });

  it('the same rate with the route forced (method cholesky): never leaves', () => {
    const plan = new LanczosPlanner(model, target, false);
    expect(run(plan, (m) => 0.97 ** m, 300)).toBe(0);
    expect(plan.decision).toBe('continue');
  });

  it('a rate that no longer improves: leaves (unbounded cost)', () => {
    const plan = new LanczosPlanner(model, target);
    expect(run(plan, () => 1e-3, 300)).toBe(MIN_PROBE);
    expect(plan.reason).toMatch(/unbounded/);
  });

  it('a slow rate with lambda_min known well inside its gap: shifts instead, just below lambda_min', () => {
    const plan = new LanczosPlanner(model, target);
    const gap = { rho: 1, lambda2: 1.001 };
    // 0.9 per step: ~250 more steps, beyond a factorization and 24 solves but below the tridiagonal route.
    const m = run(plan, (k) => 0.9 ** k, 300, gap);
    expect(m).toBe(MIN_PROBE);
    expect(plan.decision).toBe('shift');
    expect(plan.shifts[0]!).toBeLessThan(1);
    expect(plan.shifts[0]!).toBeGreaterThan(0.999);
    // After the shift no second one is planned, and the budget still holds.
    plan.startShifted();
    expect(run(plan, () => 1e-3, 300, gap)).toBeGreaterThan(0);
    expect(plan.decision).toBe('tridiagonal');
  });

  it('the same rate and gap, but lambda_2 not known to within the gap (a dense bottom): no shift', () => {
    // The second Ritz value is still moving by as much as the gap (error2 / gap = 1.2, as on
    // G G^T / n + 0.1 I at n = 3000): the gap is not the spectrum's, a shift placed by it buys
    // nothing, so the rate alone decides, and at 0.9 per step that is the tridiagonal route.
    const plan = new LanczosPlanner(model, target);
    const m = run(plan, (k) => 0.9 ** k, 300, { rho: 1, lambda2: 1.001, error2: 1.2e-3 });
    expect(m).toBe(MIN_PROBE);
    expect(plan.decision).toBe('tridiagonal');
    expect(plan.shifts).toEqual([]);
    // Just inside it, the shift is planned as before.
    const ok = new LanczosPlanner(model, target);
    expect(run(ok, (k) => 0.9 ** k, 300, { rho: 1, lambda2: 1.001, error2: 0.9e-3 })).toBe(MIN_PROBE);
    expect(ok.decision).toBe('shift');
  });

  it('a shift the next steps will make placeable keeps the run going; one too far off does not', () => {
    // Gap 1e-3 (confirmed: error2 a tenth of it); the Ritz value's predicted error falls 0.7x per
    // step and reaches gap / 8 at step 24; the residual alone (0.97 per step) would send the
    // run to the tridiagonal route at the first prediction (step MIN_PROBE = 20).
    const steps = (fall: number) => {
      const plan = new LanczosPlanner(model, target);
      for (let m = 1; m <= 300; m++) {
        const predicted = 1.2e-4 * fall ** (m - 24);
        if (plan.update({ m, rel: 0.97 ** m, theta1: 1, theta2: 1 / 1.001, predicted, error2: 1e-4 })) return m;
      }
      return 0;
    };
    expect(steps(0.7)).toBe(24);
    // Measured from step 20 the crossing is 4 steps ahead, within SHIFT_HORIZON.
    expect(SHIFT_HORIZON).toBeGreaterThanOrEqual(4);
    const soon = new LanczosPlanner(model, target);
    for (let m = 1; m <= 24; m++) soon.update({ m, rel: 0.97 ** m, theta1: 1, theta2: 1 / 1.001, predicted: 1.2e-4 * 0.7 ** (m - 24), error2: 1e-4 });
    expect(soon.decision).toBe('shift');
    // Falling 0.97x per step with the crossing at step 90, 70 steps away: the residual's rate decides, and leaves.
    const far = new LanczosPlanner(model, target);
    let m = 1;
    for (; m <= 300; m++) if (far.update({ m, rel: 0.97 ** m, theta1: 1, theta2: 1 / 1.001, predicted: 1.2e-4 * 0.97 ** (m - 90), error2: 1e-4 })) break;
    expect(m).toBe(MIN_PROBE);
    expect(far.decision).toBe('tridiagonal');
  });

  it('a rate that predicts just under the tridiagonal route is stopped by the budget', () => {
    const plan = new LanczosPlanner(model, target);
    // Each step looks promising, but the target keeps receding (the rate slows as it goes).
    const stop = run(plan, (m) => Math.exp(-30 * Math.log(m + 1) / Math.log(400)), 2000);
    expect(stop).toBeGreaterThan(MIN_PROBE);
    expect(plan.decision).toBe('tridiagonal');
    expect(plan.spent).toBeLessThanOrEqual(BUDGET * model.tridiagonal + model.step(stop));
  });
});

/** 12 G G^T / n, G n x n uniform on [-1, 1]: a square Gram matrix. */
function gram(n: number): Float64Array {
  const g = randomArray(n * n, 41);
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let p = 0; p < n; p++) s += g[i * n + p]! * g[j * n + p]!;
      k[i * n + j] = k[j * n + i] = (12 * s) / n;
    }
  }
  return k;
}

/** G G^T / n + (10/n) 1 1^T + 1e-5 I: an NTK-like Gram matrix with a spike, lambda_min isolated. */
function gramSpike(n: number): Float64Array {
  const k = gram(n);
  for (let i = 0; i < n * n; i++) k[i]! += 10 / n;
  for (let i = 0; i < n; i++) k[i * n + i]! += 1e-5;
  return k;
}

describe.each([jsCase, wasmCase])('lambdaMin takes the route the model picks on $name', ({ get }) => {
  const n = 300;

  it('dense bottom of the spectrum: the tridiagonal route after the probe, within the budget', async () => {
    const backend = await get();
    // lambda_k = 0.1 + (k / n)^2: the density of a Marchenko-Pastur hard edge (shifted by 0.1,
    // as G G^T / n + 0.1 I), bottom gaps 1e-4 relative: Lanczos on K^{-1} cannot resolve it.
    const d = Array.from({ length: n }, (_, k) => 0.1 + (k / n) ** 2);
    const K = { rows: n, cols: n, data: withSpectrum(d, 17) };
    const r = lambdaMin(K, { backend });
    expect(r.method).toBe('tridiagonal');
    expect(r.cost?.decision).toBe('tridiagonal');
    expect(r.fallback).toMatch(/^cost model/);
    const model = costModel(n, backend);
    expect(r.cost!.tridiagonal).toBe(model.tridiagonal);
    // It leaves right after the probe: the factorization and MIN_PROBE steps, no more.
    let probe = model.factor;
    for (let m = 1; m <= MIN_PROBE; m++) probe += model.step(m);
    expect(r.cost!.spent).toBeCloseTo(probe, 12);
    expect(Math.abs(r.value - eigvalsh(K, { backend })[0]!)).toBeLessThanOrEqual(r.errorBound);
    expect(Math.abs(r.value - 0.1)).toBeLessThanOrEqual(r.errorBound);
  });

  for (const [name, make] of [['1-2-1 Toeplitz', toeplitz121], ['Gram + spike', gramSpike]] as const) {
    it(`${name}: Cholesky-Lanczos, at a fraction of the tridiagonal route's cost`, async () => {
      const backend = await get();
      const K = { rows: n, cols: n, data: make(n) };
      const r = lambdaMin(K, { backend });
      expect(r.method, r.fallback).toBe('cholesky-lanczos');
      expect(r.cost?.decision).toBe('cholesky-lanczos');
      expect(r.cost!.spent).toBeLessThan(0.5 * r.cost!.tridiagonal);
      expect(r.converged).toBe(true);
      expect(Math.abs(r.value - eigvalsh(K, { backend })[0]!)).toBeLessThanOrEqual(r.errorBound);
    });
  }
});

// The tridiagonal route's reduction on every backend, threaded panels included (n above the
// wasm backend's 2 x 256 split point): an orthogonal similarity keeps the trace and the
// Frobenius norm, and every backend reduces to the same d and |e| as the js one.
describe('symTridiagonal is an orthogonal similarity on every backend', () => {
  const n = 600;
  const g = randomArray(n * n, 11);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = g[i * n + j]!;
  const trace = Array.from({ length: n }, (_, i) => A[i * n + i]!).reduce((s, x) => s + x, 0);
  const frob2 = A.reduce((s, x) => s + x * x, 0);
  it.each([jsCase, wasmCase, wasm2Case])('$name', async ({ get }) => {
    const be = await get();
    const d = new Float64Array(n), e = new Float64Array(n);
    be.symTridiagonal(n, A.slice(), d, e);
    const td = d.reduce((s, x) => s + x, 0);
    const f2 = d.reduce((s, x) => s + x * x, 0) + 2 * e.reduce((s, x) => s + x * x, 0);
    expect(Math.abs(td - trace)).toBeLessThan(1e-12 * n * Math.sqrt(frob2));
    expect(Math.abs(f2 - frob2)).toBeLessThan(1e-12 * n * frob2);
    const js = await jsCase.get();
    const dj = new Float64Array(n), ej = new Float64Array(n);
    js.symTridiagonal(n, A.slice(), dj, ej);
    for (let i = 0; i < n; i++) {
      expect(Math.abs(d[i]! - dj[i]!)).toBeLessThan(1e-10 * Math.sqrt(frob2));
      expect(Math.abs(Math.abs(e[i]!) - Math.abs(ej[i]!))).toBeLessThan(1e-10 * Math.sqrt(frob2));
    }
  });
});
