/**
 * One report on a network and its data, with the fixtures' field names
 * (test/data/reference/README.md): what `ntk evaluate` prints.
 * @module
 */
import { getBackend } from '../backend/default.js';
import type { Backend } from '../backend/types.js';
import { eigvalsh, lambdaMin } from '../linalg/index.js';
import { NtkInputError } from '../errors.js';
import { toArrays, type Matrix } from '../matrix.js';
import {
  assumptionsBroken, infiniteWidth, infiniteWidthReport, lemma42Band, theorem41,
  type InfiniteWidthReport, type Theorem41Report,
} from '../theory/index.js';
import { checkMemory, describeWidths, evaluateMemory } from '../memory.js';
import { toData } from './data.js';
import { checkNetwork, type Network } from './network.js';
import { empiricalNtk } from './ntk.js';

/** Options of {@link evaluateNetwork}. */
export interface EvaluateOptions {
  /** Backend for every kernel (default: the default backend). */
  backend?: Backend;
  /** Include K itself (n x n). */
  full?: boolean;
  /** Include the theory's fields (default true). */
  theory?: boolean;
  /** Largest r of Theorem 4.1's max over r (default 30). */
  rmax?: number;
  /** Bytes the report may use (default: the available memory; see src/memory.ts). */
  maxMemory?: number;
}

/** The report of {@link evaluateNetwork}: fixture field names (`expected.*`). */
export interface NetworkReport {
  /** Activation name. */
  activation: string;
  /** sigma0 of the init (null when no sigma0 reaches the given nu0^2). */
  sigma0: number | null;
  /** c_{phi,sigma0} = E_{z~N(0,sigma0^2)}[phi(z)^2] (null without sigma0). */
  c: number | null;
  /** nu0^2, the variance of the hidden weights. */
  nu0sq: number;
  /** Variance of v's entries. */
  sv2: number;
  /** Samples. */
  n: number;
  /** Input dimension. */
  d: number;
  /** Hidden widths m_1..m_L. */
  widths: number[];
  /** Network outputs f(x_i) (eq. 1), length n. */
  f: number[];
  /** tr K. */
  K_trace: number;
  /** diag K, length n. */
  K_diag: number[];
  /** ||K||_F. */
  K_frobenius: number;
  /** Traces of the L+1 layerwise terms of K (W_1, ..., W_L, then v); they sum to tr K. */
  K_term_traces: number[];
  /** lambda_min(K) (full spectrum by tridiagonalization). */
  lambda_min: number;
  /** lambda_max(K). */
  lambda_max: number;
  /** c_{l,i} = ||alpha_l(x_i)|| / sqrt(m_l) for l = 0..L (rows) and i = 1..n (Lemma 4.3, Theorem 4.2). */
  c_li: number[][];
  /** lambda_min(A_L A_L^T / m_L): the last layer's Gram matrix, which the proof of Theorem 4.1 bounds by c0 lambda_1. */
  'lambda_min_AL_AL^T_over_mL': number;
  /** lambda_1 = lambda_min(E_1) (Theorem 4.1). */
  lambda_1?: number | null;
  /** The infinite-width NTK and NNGP of the same network and data (with `theory`). */
  inf_width?: InfiniteWidthReport;
  /** Theorem 4.1 constants, Lemma 4.2 band, Lemma 4.1 layers; null when no sigma0 reaches nu0^2. */
  theorem41?: Theorem41Report | null;
  /** Per layer [min_i, max_i] of c_{l,i}^2 / c (Lemma 4.2 claims [1/2, 3/2]). */
  lemma42?: [number, number][] | null;
  /** Hypotheses of the theorems the activation breaks. */
  assumptions_broken?: string[];
  /** Notes for the reader (why a field is null). */
  notes?: string[];
  /** K itself, n x n (with `full`). */
  K?: number[][];
}

/**
 * Computes K, its spectrum ends and summaries, and (with `theory`) lambda_1, the infinite-width
 * NTK/NNGP, Theorem 4.1's constants and Lemmas 4.1/4.2 for `net` on `X`.
 * @throws NtkInputError for data that does not fit the network; NtkMemoryError (before any
 *   work) when the report's buffers (K, its terms and Grams, the eigensolvers' copies, the
 *   theory's kernels) do not fit, naming the largest n that does.
 */
export function evaluateNetwork(net: Network, X: Matrix, opts: EvaluateOptions = {}): NetworkReport {
  const be = opts.backend ?? getBackend();
  checkNetwork(net);
  X = toData(X, net.d);
  const full = !!opts.full, theory = opts.theory !== false;
  checkMemory({
    parameter: 'X', what: `evaluate with d = ${net.d} and widths ${describeWidths(net.widths)}`,
    size: X.rows, sizeName: 'n', estimate: (k) => evaluateMemory(k, net.d, net.widths, { theory, full }),
    largestArray: (k) => Math.max(k * k, k * Math.max(net.d, ...net.widths)),
    fix: `reduce n or the widths${theory ? ', or skip the theory (--no-theory)' : ''}`,
  }, be, opts.maxMemory);
  const r = empiricalNtk(net, X, { backend: be, terms: true, grams: true });
  const n = X.rows, K = r.K;
  const diag = Array.from({ length: n }, (_, i) => K.data[i * n + i]!);
  let fro = 0;
  for (const x of K.data) fro += x * x;
  const ev = eigvalsh(K, { backend: be });
  const trace = (m: Matrix) => { let s = 0; for (let i = 0; i < n; i++) s += m.data[i * n + i]!; return s; };
  const grams = r.grams!;
  const report: NetworkReport = {
    activation: net.activation.name,
    sigma0: net.sigma0, c: net.c, nu0sq: net.nu0sq, sv2: net.sv2,
    n, d: net.d, widths: [...net.widths],
    f: Array.from(r.f),
    K_trace: diag.reduce((s, x) => s + x, 0),
    K_diag: diag,
    K_frobenius: Math.sqrt(fro),
    K_term_traces: r.terms!.map(trace),
    lambda_min: ev[0]!,
    lambda_max: ev[n - 1]!,
    c_li: r.cli.map((c) => Array.from(c)),
    'lambda_min_AL_AL^T_over_mL': lambdaMin(grams[net.L]!, { backend: be }).value,
  };
  if (opts.theory !== false) {
    const iw = infiniteWidth(X, { depth: net.L, activation: net.activation, nu0sq: net.nu0sq, sv2: net.sv2, backend: be });
    report.lambda_1 = iw.lambda1;
    report.inf_width = infiniteWidthReport(iw, K);
    report.assumptions_broken = assumptionsBroken(net.activation);
    const zeroRow = r.cli[net.L - 1]!.findIndex((c) => !(c > 0));
    if (net.sigma0 !== null && iw.lambda1 !== null && zeroRow >= 0) {
      report.theorem41 = null;
      report.lemma42 = lemma42Band(r.cli, net.c!);
      report.notes = [`sample ${zeroRow} has c_{L-1,i} = 0 (a zero row of X, or zero activations): Theorem 4.2's coefficients mu_r^{[c^2 nu0^2]} are undefined at variance 0, so Theorem 4.1 is not evaluated`];
    } else if (net.sigma0 !== null && iw.lambda1 !== null) {
      let t: Theorem41Report | null = null;
      try {
        t = theorem41({
          activation: net.activation, sigma0: net.sigma0, nu0sq: net.nu0sq, cli: r.cli,
          lambda1: iw.lambda1, lambdaMinK: ev[0]!, rmax: opts.rmax ?? 30, grams, backend: be,
        });
      } catch (e) {
        // Constants beyond float64 (an extreme sigma0): the rest of the report stands, and says why.
        if (!(e instanceof NtkInputError && /beyond float64/.test(e.message))) throw e;
        report.notes = [`Theorem 4.1 is not evaluated: ${e.message}`];
      }
      report.theorem41 = t;
      report.lemma42 = t ? t.lemma42_cl2_over_c_minmax : lemma42Band(r.cli, net.c!);
    } else {
      report.theorem41 = null;
      report.lemma42 = null;
      report.notes = [`no sigma0 gives nu0^2 = ${net.nu0sq} for ${net.activation.name}: Theorem 4.1 and Lemma 4.2 are stated in sigma0 and c_{phi,sigma0}, so they are not evaluated`];
    }
  }
  if (opts.full) report.K = toArrays(K);
  return report;
}

