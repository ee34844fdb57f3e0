/**
 * One report on a network and its data, with the fixtures' field names
 * (../shared/fixtures/README.md): what `ntk evaluate` prints.
 * @module
 */
import { getBackend } from '../backend/default.js';
import type { Backend } from '../backend/types.js';
import { eigvalsh } from '../linalg/index.js';
import { toArrays, type Matrix } from '../matrix.js';
import type { Network } from './network.js';
import { empiricalNtk } from './ntk.js';

/** Options of {@link evaluateNetwork}. */
export interface EvaluateOptions {
  backend?: Backend;
  /** Include K itself (n x n). */
  full?: boolean;
}

/** The empirical part of the report (fixture field names). */
export interface EmpiricalReport {
  activation: string;
  sigma0: number | null;
  c: number | null;
  nu0sq: number;
  sv2: number;
  n: number;
  d: number;
  widths: number[];
  f: number[];
  K_trace: number;
  K_diag: number[];
  K_frobenius: number;
  K_term_traces: number[];
  lambda_min: number;
  lambda_max: number;
  c_li: number[][];
  'lambda_min_AL_AL^T_over_mL': number;
  K?: number[][];
}

/**
 * Computes K and its summary for `net` on `X`.
 * @returns the report, plus K and the row norms for the theory's use.
 */
export function evaluateEmpirical(net: Network, X: Matrix, opts: EvaluateOptions = {}):
  { report: EmpiricalReport; K: Matrix; cli: Float64Array[]; gramLambdaMin: number[] } {
  const be = opts.backend ?? getBackend();
  const r = empiricalNtk(net, X, { backend: be, terms: true, gramLambdaMin: true });
  const n = X.rows, K = r.K;
  const diag = Array.from({ length: n }, (_, i) => K.data[i * n + i]!);
  let fro = 0;
  for (const x of K.data) fro += x * x;
  const ev = eigvalsh(K, { backend: be });
  const trace = (m: Matrix) => { let s = 0; for (let i = 0; i < n; i++) s += m.data[i * n + i]!; return s; };
  const report: EmpiricalReport = {
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
    'lambda_min_AL_AL^T_over_mL': r.gramLambdaMin![net.L - 1]!,
  };
  if (opts.full) report.K = toArrays(K);
  return { report, K, cli: r.cli, gramLambdaMin: r.gramLambdaMin! };
}
