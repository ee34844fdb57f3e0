/**
 * The cost model behind {@link lambdaMin}'s choice of route (issue 17 item 3): Cholesky +
 * Lanczos on K^{-1} (with shift and invert), or the tridiagonal route of `eigvalsh`. Costs are
 * counted in model seconds (nominal kernel rates, see {@link costModel}), from the matrix's
 * order and the backend alone: a model, not a clock, so the decision (and with it
 * the result's last bits) is the same on a loaded machine as on a quiet one.
 *
 * The route is chosen twice. Up front: Cholesky and a short probe must cost less than the
 * tridiagonal route. Then after every Lanczos step (from {@link MIN_PROBE} steps on) the
 * planner predicts what finishing costs, by continuing or by a second factorization at a
 * shift just below lambda_min, from the convergence rate observed so far; when the route's
 * predicted total (spent and finishing) is not clearly below the tridiagonal route's cost
 * ({@link WIN}), or the work spent reaches {@link BUDGET} of it, Lanczos is losing and stops. So on a spectrum Lanczos cannot resolve (a dense bottom, as
 * G G^T / n + 0.1 I has) lambdaMin pays the factorization and a few steps over eigvalsh, not a
 * few hundred solves.
 * @module
 * @internal
 */
import { BAND_WIDTH, TWO_STAGE_MIN } from '../backend/common/eig-layout.js';
import type { Backend } from '../backend/types.js';
import type { LanczosProgress } from './lanczos.js';

/**
 * Lanczos steps before the first prediction: the rate of the first steps says little (Lanczos
 * converges superlinearly, so an early rate overestimates the steps left; and when a Ritz
 * value switches to a lower eigenvalue it has just found, the residual jumps back up and the
 * rate over the last half of the run looks slow for a few steps). Not 16: on the ReLU NTK at
 * n = 2000 (L = 2, d = 100) the Ritz value switched at steps 12-14, the rate at step 16
 * predicted more than the tridiagonal route and lambdaMin left for it (1.24 of its model
 * cost), while at step 19 the shift could be placed and finished at 0.48. Over the NTKs of
 * the seven activations at n = 1000-3000 (24 matrices with G G^T / n + 0.1 I) the change
 * lost nothing elsewhere (GELU went from a shift to plain convergence, 0.43-0.47 -> 0.31) and
 * cost the dense bottom four solves (1.223 -> 1.227 at n = 1000).
 */
export const MIN_PROBE = 20;
/** Solves after a shift that the model counts on (measured on NTKs: 10-20). */
export const SHIFT_SOLVES = 24;
/**
 * Most steps ahead at which a shift that is not yet placeable is counted on when deciding to
 * leave (see {@link LanczosPlanner.update}).
 */
export const SHIFT_HORIZON = 8;
/** Most of the tridiagonal route's cost the Cholesky route may spend before giving up. */
export const BUDGET = 0.5;
/**
 * The Cholesky route goes on only while its predicted total (spent + finishing) is below this
 * share of the tridiagonal route's cost (see {@link LanczosPlanner.update}). Not lower: on NTK
 * matrices (ReLU's at n = 1000, 2000) the rate at the probe's end predicts about 0.6-0.9 of the
 * tridiagonal route, and the shift that follows a few steps later finishes at 0.3-0.4 of it.
 */
export const WIN = 1;

/** Costs of the two routes, in model seconds (see {@link costModel}). */
export interface CostModel {
  /** One Cholesky factorization. */
  factor: number;
  /** The tridiagonal route (reduction and QL, as in eigvalsh). */
  tridiagonal: number;
  /** Lanczos step m (1-based): one solve plus the reorthogonalization against m vectors. */
  step(m: number): number;
}

/**
 * Nominal rates (flop/s) of the kernels each route runs on: `gemm` the packed GEMM (the
 * factorization, the tridiagonal reduction's rank-2k updates), `symv` the reduction's
 * memory-bound matrix-vector products and `solve` the triangular solves (both by the
 * matrix's size against the caches: 8 n^2 bytes up to 16 MB, 64 MB, beyond), `reorth` the
 * Lanczos step's reorthogonalization GEMV passes over the basis (assembly/lanczos.ts).
 *
 * Fitted (wasm) to `node --no-wasm-dynamic-tiering bench/lambda-min-rates.mjs 1000,2000,4000`
 * on the project's machine (AMD EPYC Zen 4, 1 MB L2 per core, 32 MB L3; run under load
 * 6-8, so the one-thread rates are what it measured and the two-thread rates are the
 * one-thread ones times the gains the split kernels reach on a quiet machine, which that
 * load did not allow to measure): factorization n^3/3 multiply-adds in 0.023, 0.19, 1.30 s
 * at n = 1000, 2000, 4000 (15e9); a Lanczos step 0.24, 1.5, 11.4 ms (2 n^2 / step: 8.4e9,
 * 5.4e9, 2.8e9); eigvalsh 0.13, 1.45, 21 s (the rest after the updates at the GEMM rate:
 * symv 8e9, 5e9, 2.3e9). Only ratios matter: the model predicts lambdaMin / eigvalsh, and the
 * rates stay constants (never a clock at run time) so a decision does not depend on the load.
 */
interface Rates { gemm: number; symv: [number, number, number]; solve: [number, number, number]; reorth: number; bulge: number }

// `bulge`: the two-stage reduction's bulge chasing, ~6 nb n^2 flops (nb = BAND_WIDTH) on
// L1-resident blocks: 0.09-0.13 s at n = 2000 on one thread (Zen 4, quiet), 1.5-1.7x faster
// pipelined over two (bench/eigvalsh-stages.mjs).
const RATES: Record<'wasm1' | 'wasm2' | 'js', Rates> = {
  // The solve rates predate the eight-column passes from n = 1800 (assembly/cholesky.ts
  // WIDE_MIN), which made one-thread solves 1.1-1.4x faster in the upper two tiers: there the
  // model prices Lanczos a little high, on the side of leaving for the tridiagonal route.
  wasm1: { gemm: 15e9, symv: [8e9, 5e9, 2.3e9], solve: [8.4e9, 5.4e9, 2.8e9], reorth: 4e9, bulge: 7e9 },
  // Two threads: the factorization split (~1.8x), the solve paired from n = 1024 (~1.3-1.5x:
  // it reaches about half of the two-thread memory roof, bench/results/lambda-min.md), the one-stage
  // reduction's memory-bound products stay on one thread (eigenvalue-only calls below
  // TWO_STAGE_MIN), the bulge chasing is pipelined (~1.7x).
  wasm2: { gemm: 27e9, symv: [8.5e9, 5.3e9, 2.4e9], solve: [8.4e9, 7.8e9, 4.2e9], reorth: 4e9, bulge: 12e9 },
  js: { gemm: 0.4e9, symv: [0.3e9, 0.3e9, 0.3e9], solve: [0.35e9, 0.35e9, 0.3e9], reorth: 0.4e9, bulge: 0.3e9 },
};

/**
 * The cost model of a backend at order n, in model seconds (nominal rates, {@link RATES}:
 * only the ratios matter):
 * - factorization: n^3/3 multiply-adds at the GEMM rate (as the rates were fitted);
 * - tridiagonal route: below TWO_STAGE_MIN (one stage) 4n^3/3 flops, half at GEMM rate and
 *   half in memory-bound products; from it (two stages) 4n^3/3 at GEMM rate plus the bulge
 *   chasing's 6 nb n^2; plus QL's ~30 n^2;
 * - a Lanczos step m: a solve's 2n^2 flops, plus ~6 m n flops of reorthogonalization
 *   (classical Gram-Schmidt, 4 m n per pass, a second pass about every other step).
 */
export function costModel(n: number, be: Backend): CostModel {
  const r = RATES[be.kind === 'js' ? 'js' : be.threads > 1 ? 'wasm2' : 'wasm1'];
  const n2 = n * n, n3 = n2 * n;
  const bytes = 8 * n2;
  const tier = bytes <= 16 << 20 ? 0 : bytes <= 64 << 20 ? 1 : 2;
  const solve = (2 * n2) / r.solve[tier];
  const factor = n3 / 3 / r.gemm;
  const reduction = n >= TWO_STAGE_MIN
    ? (4 * n3) / 3 / r.gemm + (6 * BAND_WIDTH * n2) / r.bulge
    : (2 * n3) / 3 / r.gemm + (2 * n3) / 3 / r.symv[tier];
  const tridiagonal = reduction + (30 * n2) / r.symv[tier];
  return { factor, tridiagonal, step: (m) => solve + (6 * m * n) / r.reorth };
}

/** What the Cholesky route decided (see {@link LanczosPlanner}). */
export type PlanDecision = 'continue' | 'shift' | 'tridiagonal';

/**
 * Watches Lanczos on K^{-1} step by step and decides, by the {@link CostModel}, whether to go on,
 * to switch to a second factorization of K - sigma I with sigma just below lambda_min (shift
 * and invert), or to give up for the tridiagonal route.
 *
 * Shift and invert: the NTK's bottom eigenvalues are clustered (tanh at n = 3000:
 * lambda_2 / lambda_1 - 1 ~ 1e-3), so on K^{-1} the relative gap is tiny and Lanczos needs ~160
 * solves; on (K - sigma I)^{-1} with lambda_1 - sigma ~ the gap the top eigenvalue is well
 * separated and ~10-20 solves suffice. (A block Lanczos on K^{-1} was tried first and measured
 * slower: for these spectra the vectors it needs grow ~b^(2/3) with the block size b while a
 * b-vector solve costs 1 + ~0.25 (b - 1) single solves; see ./lanczos.ts.)
 */
export class LanczosPlanner {
  /** Shifts to try, best first (set when the decision is `'shift'`). */
  shifts: number[] = [];
  /** The decision taken at the last step. */
  decision: PlanDecision = 'continue';
  /** Model cost spent so far (factorizations and steps), in model seconds. */
  spent: number;
  /** Why Lanczos was given up, when it was. */
  reason = '';
  /** Best relative residual so far after step 1, 2, ... (Lanczos reports every step). */
  private readonly rels: number[] = [];
  /** Predicted error of the Ritz value after step 1, 2, ... */
  private readonly preds: number[] = [];
  /**
   * Steps until a shift becomes placeable, as {@link shiftFor} last found (Infinity: none
   * within {@link SHIFT_HORIZON}).
   */
  private soon = Infinity;
  /** Whether a second factorization may be planned (not after one). */
  private shiftAllowed = true;

  /**
   * @param model the costs of the routes.
   * @param relTarget the relative residual Lanczos is run to.
   * @param mayLeave whether the tridiagonal route may be chosen (false: only shifts are planned).
   */
  constructor(readonly model: CostModel, private readonly relTarget: number, private readonly mayLeave = true) {
    this.spent = model.factor;
  }

  /** Whether the Cholesky route is worth starting at all: the factorization and a short probe beat the tridiagonal route. */
  static worthStarting(model: CostModel): boolean {
    let probe = model.factor;
    for (let m = 1; m <= MIN_PROBE; m++) probe += model.step(m);
    return probe < BUDGET * model.tridiagonal;
  }

  /**
   * Before Lanczos on a second factorization (after the decision `'shift'`): counts the
   * factorization, restarts the rate history, and plans no further shift.
   */
  startShifted(): void {
    this.spent += this.model.factor;
    this.rels.length = 0;
    this.preds.length = 0;
    this.decision = 'continue';
    this.shiftAllowed = false;
  }

  /** Called after every Lanczos step; true ends the run (see {@link decision}). */
  update(st: LanczosProgress): boolean {
    const { model } = this;
    this.spent += model.step(st.m);
    const best = Math.min(st.rel, this.rels.length ? this.rels[this.rels.length - 1]! : Infinity);
    this.rels.push(best);
    this.preds.push(st.predicted);
    if (st.m < MIN_PROBE) return false;
    // The rate over the last half of the run (the best residual, so oscillations in a wide
    // cluster do not count as progress lost).
    const half = Math.floor(st.m / 2);
    const q = (best / this.rels[half - 1]!) ** (1 / (st.m - half));
    const left = q < 1 ? Math.max(0, Math.log(this.relTarget / best) / Math.log(q)) : Infinity;
    const goOn = Number.isFinite(left) ? this.stepsCost(st.m, Math.ceil(left)) : Infinity;
    const shift = this.shiftAllowed ? this.shiftFor(st) : undefined;
    const shiftCost = shift ? model.factor + this.stepsCost(0, SHIFT_SOLVES) : Infinity;
    // A shift the next few steps will make placeable counts as a way to finish too, so a
    // threshold crossed one step later does not send the run to the tridiagonal route (the
    // ReLU NTK at n = 1000 on two threads: placeable at step 21, and the rate alone at step 20
    // predicted more than the tridiagonal route).
    const soon = this.shiftAllowed ? this.soon : Infinity;
    const shiftLater = soon < Infinity ? this.stepsCost(st.m, soon) + model.factor + this.stepsCost(0, SHIFT_SOLVES) : Infinity;
    // Go on only while the whole Cholesky route (spent and still to spend) is predicted to beat
    // the tridiagonal route: a route that could merely finish below it from here (the sunk
    // cost forgotten) would still make lambdaMin slower than eigvalsh, and the prediction,
    // extrapolated from a rate that slows down on a dense bottom, is optimistic.
    const finish = Math.min(goOn, shiftCost, shiftLater);
    if (this.mayLeave && (this.spent + finish > WIN * model.tridiagonal || this.spent >= BUDGET * model.tridiagonal)) {
      this.decision = 'tridiagonal';
      this.reason = this.spent >= BUDGET * model.tridiagonal
        ? `cost model: the Cholesky route spent ${fmt(this.spent / model.tridiagonal)} of the tridiagonal route's cost without converging`
        : `cost model: after ${st.m} solves finishing Lanczos would cost ${fmt(finish / model.tridiagonal)} times the tridiagonal route (${fmt((this.spent + finish) / model.tridiagonal)} with what was spent)`;
      return true;
    }
    // Switch when a factorization plus the solves after it clearly beats the solves left here.
    if (shift && shiftCost < 0.8 * goOn) {
      this.decision = 'shift';
      this.shifts = shift;
      return true;
    }
    return false;
  }

  /** Model cost of `count` more steps after step m. */
  private stepsCost(m: number, count: number): number {
    return count * this.model.step(m + count / 2);
  }

  /**
   * Shifts just below lambda_min, once the Ritz value is known well inside the gap to the next
   * one: sigma = rho - gap / 2 is then below lambda_min (the Ritz estimate of lambda_2 is an
   * upper bound, so the gap may be overestimated: then the shift is merely less effective). A
   * shift that is not below lambda_min shows as a failed factorization and the next is tried.
   *
   * The Ritz gap counts only once the second Ritz value is itself known to within it
   * (`error2 < gap`). In a dense bottom the gap between the top two Ritz values keeps
   * shrinking as Lanczos resolves the cluster, and a shift placed by it lies far below
   * lambda_min compared with the true gap, so the second factorization buys nothing: on
   * G G^T / n + 0.1 I at n = 3000, error2 / gap was 1.2-1.8 at the steps where the first test
   * alone allowed a shift, and that shift spent the route's whole budget (lambdaMin 1.5x
   * eigvalsh). On the NTK matrices where the shift pays (ReLU, GELU, softplus at n = 1000-2000)
   * it was 0.35-0.7 when the shift was placed.
   *
   * With the gap confirmed but the Ritz value not yet well inside it, {@link soon} records the
   * steps until it will be (what {@link update} counts on before leaving).
   */
  private shiftFor(st: LanczosProgress): number[] | undefined {
    this.soon = Infinity;
    if (!(st.theta2 > 0) || !(st.theta1 > st.theta2)) return undefined;
    const rho = 1 / st.theta1, gap = 1 / st.theta2 - rho;
    if (!(st.error2 < gap)) return undefined;
    if (st.predicted <= gap / 8) return [rho - gap / 2, rho - 4 * gap, 0].filter((x, i, a) => x >= 0 && a.indexOf(x) === i);
    // Not yet: the steps until it is, at the rate the predicted error fell over the last four
    // steps (a rate that did not fall gives no positive count).
    const k = Math.ceil(Math.log(gap / 8 / st.predicted) / (Math.log(st.predicted / this.preds[st.m - 5]!) / 4));
    if (k >= 1 && k <= SHIFT_HORIZON) this.soon = k;
    return undefined;
  }
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(2) : 'unbounded';
}
