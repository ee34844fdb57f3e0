/**
 * `ntk eig <matrix.npy>`: lambda_min (or the whole spectrum with --all, and the eigenvectors with
 * --vectors V.npy) of a symmetric matrix stored as .npy, with the method used, an error bound,
 * whether it converged, lambda_max, the compute time per stage and (with --vectors) the
 * residual and orthogonality.
 * @module
 */
import type { Command } from 'commander';
import type { Backend } from '../backend/types.js';
import { NtkInputError } from '../errors.js';
import { writeFileAtomic } from '../node/files.js';
import { npyToMatrix, readNpyFile, writeNpy } from '../io/npy.js';
import { eighAccuracy } from '../linalg/accuracy.js';
import { eigh, eigvalsh, lambdaMin, type EigStages, type LambdaMinCost, type LambdaMinMethod, type LambdaMinStages } from '../linalg/index.js';
import type { Matrix } from '../matrix.js';
import { checkMemory, eigMemory } from '../memory.js';
import { action, backendFromOptions, backendOptions, printJson, checkPrintable } from './common.js';

const EPS = 2.220446049250313e-16;
/** How `eigh` computes (the report's `method` with --vectors). */
const EIGH_METHOD = 'blocked Householder tridiagonalization, divide and conquer, compact WY back-transformation';
/** How `eigvalsh` computes (the report's `method` with --all). */
const EIGVALSH_METHOD = 'blocked Householder tridiagonalization, implicit QL';

/** What `ntk eig` reports (also its JSON output). */
export interface EigReport {
  n: number;
  lambda_min: number;
  method: string;
  /** A bound on |lambda_min - the exact value| (never below the rounding level n eps ||K||). */
  error_bound: number;
  /** Whether error_bound met the tolerance (lambdaMin's `converged`). */
  converged: boolean;
  /** The absolute tolerance error_bound was held to. */
  tolerance: number;
  /** lambda_max, a bound on its error and whether its Lanczos met its tolerance (1e-10 relative residual). */
  lambda_max: number;
  lambda_max_error: number;
  lambda_max_converged: boolean;
  /** Seconds spent computing (not loading the backend or reading the file). */
  seconds: number;
  backend: string;
  iterations?: number;
  residual?: number;
  fallback?: string;
  /** The cost model's account of the route (lambdaMin's `cost`: model seconds, and its decision). */
  cost?: LambdaMinCost;
  /** All eigenvalues, ascending (with --all). */
  eigenvalues?: Float64Array;
  /**
   * Seconds per stage: of the full decomposition with --all or --vectors (tridiagonalize,
   * with --all from order 1000 its parts band and bulge, tridiagonal, backTransform), else of
   * lambdaMin's route (factorize, lanczos, largest; or tridiagonalize, bisection).
   */
  stages?: EigStages | LambdaMinStages;
  /**
   * With --vectors: LAPACK's test ratios ||K V - V L||_1 / (n eps ||K||_1) and
   * ||V^T V - I||_1 / (n eps) (small multiples of 1 for a backward-stable solver).
   */
  residual_ratio?: number;
  orthogonality_ratio?: number;
  /** With --vectors: where the eigenvectors were written (n x n, column j for eigenvalue j). */
  vectors_file?: string;
}

/** Options of {@link eigReport}. */
export interface EigReportOptions {
  all?: boolean;
  /** Also compute the eigenvectors (returned beside the report, with residual and orthogonality ratios). */
  vectors?: boolean;
  method?: LambdaMinMethod;
  backend: Backend;
  backendNote?: string;
}

/**
 * Computes the report of `ntk eig` for a matrix already in memory.
 * @throws NtkInputError for a bad method, --all with a method other than auto/tridiagonal, or an empty matrix.
 */
export function eigReport(k: Matrix, o: EigReportOptions): EigReport & { vectors?: Matrix } {
  const method = o.method ?? 'auto';
  if (!['auto', 'cholesky', 'tridiagonal'].includes(method)) {
    throw new NtkInputError('--method', `unknown method ${JSON.stringify(method)}`, 'use auto, cholesky or tridiagonal');
  }
  if ((o.all || o.vectors) && method === 'cholesky') {
    const flag = o.all ? '--all' : '--vectors';
    throw new NtkInputError('--method', `${flag} computes the whole spectrum by the tridiagonal method`, `drop --method cholesky or ${flag}`);
  }
  if (k.rows === 0) throw new NtkInputError('K', `is empty (${k.rows} x ${k.cols})`, 'pass a matrix with at least one row');
  const backend = o.backend;
  checkMemory({
    parameter: 'K', what: o.vectors ? 'eigenvectors' : o.all ? 'every eigenvalue' : 'lambda_min', size: k.rows, sizeName: 'n',
    estimate: (n) => eigMemory(n, o.vectors ? 'eigh' : o.all ? 'eigvalsh' : 'lambdaMin'), largestArray: (n) => n * n,
    fix: 'use a smaller matrix',
  }, backend);
  const note = o.backendNote ?? backend.kind;
  if (o.all || o.vectors) {
    const t0 = performance.now();
    const stages: EigStages = {};
    const full = o.vectors ? eigh(k, { backend, stages }) : null;
    const w = full ? full.values : eigvalsh(k, { backend, stages });
    const seconds = (performance.now() - t0) / 1000;
    const n = w.length;
    const big = Math.max(Math.abs(w[0]!), Math.abs(w[n - 1]!));
    // The backward-error level of the tridiagonal route, as lambdaMin reports it.
    const bound = n * EPS * big;
    const out: EigReport & { vectors?: Matrix } = {
      n, lambda_min: w[0]!, method: full ? EIGH_METHOD : EIGVALSH_METHOD, error_bound: bound, converged: true, tolerance: bound,
      lambda_max: w[n - 1]!, lambda_max_error: bound, lambda_max_converged: true,
      seconds, backend: note, stages,
    };
    if (o.all) out.eigenvalues = w;
    if (full) {
      const acc = eighAccuracy(k, full.values, full.vectors, backend);
      out.residual_ratio = acc.residual;
      out.orthogonality_ratio = acc.orthogonality;
      out.vectors = full.vectors;
    }
    return out;
  }
  const t0 = performance.now();
  const stages: LambdaMinStages = {};
  const r = lambdaMin(k, { backend, method, largest: true, stages });
  const seconds = (performance.now() - t0) / 1000;
  const top = r.largest!;
  const out: EigReport = {
    n: k.rows, lambda_min: r.value, method: r.method, error_bound: r.errorBound, converged: r.converged, tolerance: r.tolerance,
    lambda_max: top.value, lambda_max_error: top.errorBound, lambda_max_converged: top.converged, seconds, backend: note, stages,
  };
  if (r.iterations !== undefined) out.iterations = r.iterations;
  if (r.residual !== undefined) out.residual = r.residual;
  if (r.fallback) out.fallback = r.fallback;
  if (r.cost) out.cost = r.cost;
  return out;
}

/** The report as text lines. */
export function formatEigReport(r: EigReport): string {
  let s = `n: ${r.n}\nlambda_min: ${r.lambda_min.toPrecision(17)}\nmethod: ${r.method}\nerror_bound: ${r.error_bound.toExponential(3)}\n`;
  s += `converged: ${r.converged ? 'yes' : `NO (the bound is above the tolerance ${r.tolerance.toExponential(3)})`}\n`;
  s += `lambda_max: ${r.lambda_max.toPrecision(17)}\nlambda_max_error: ${r.lambda_max_error.toExponential(3)}\n`;
  if (!r.lambda_max_converged) s += 'lambda_max_converged: NO (Lanczos step cap; the bound is ||K|| - lambda_max)\n';
  if (r.iterations !== undefined) s += `lanczos_iterations: ${r.iterations}\n`;
  if (r.residual !== undefined) s += `residual: ${r.residual.toExponential(3)}\n`;
  if (r.fallback) s += `fallback: ${r.fallback}\n`;
  if (r.cost) s += `route: ${r.cost.decision} (cost model: Cholesky route spent ${(r.cost.spent / r.cost.tridiagonal).toFixed(2)} of the tridiagonal route's cost)\n`;
  if (r.residual_ratio !== undefined) s += `residual_ratio: ${r.residual_ratio.toFixed(3)} (||KV - VL|| / (n eps ||K||))\n`;
  if (r.orthogonality_ratio !== undefined) s += `orthogonality_ratio: ${r.orthogonality_ratio.toFixed(3)} (||V'V - I|| / (n eps))\n`;
  if (r.vectors_file) s += `vectors: ${r.vectors_file}\n`;
  s += `backend: ${r.backend}\nseconds: ${r.seconds.toFixed(4)}\n`;
  if (r.stages) for (const [k, v] of Object.entries(r.stages)) s += `  ${k}: ${v.toFixed(4)} s\n`;
  if (r.eigenvalues) {
    s += 'eigenvalues (ascending):\n';
    for (const x of r.eigenvalues) s += `${x.toPrecision(17)}\n`;
  }
  return s;
}

/** Registers `ntk eig`. */
export function registerEig(program: Command): void {
  backendOptions(program.command('eig'))
    .argument('<matrix>', 'a symmetric n x n matrix in .npy format (float64 or float32; its lower triangle is used)')
    .description('lambda_min of a symmetric matrix (Cholesky + Lanczos when positive definite), or every eigenvalue with --all')
    .option('--all', 'print every eigenvalue (ascending), by tridiagonalization')
    .option('--vectors <file>', 'also compute every eigenvector and write them to this .npy (n x n, column j for eigenvalue j); reports the residual and orthogonality')
    .option('--method <m>', 'auto | cholesky | tridiagonal', 'auto')
    .option('--json', 'print the report as JSON')
    .action(action(async (path: string, o: { all?: boolean; vectors?: string; method: string; json?: boolean; backend?: string; threads?: number; quiet?: boolean }) => {
      if (!['auto', 'cholesky', 'tridiagonal'].includes(o.method)) {
        throw new NtkInputError('--method', `unknown method ${JSON.stringify(o.method)}`, 'use auto, cholesky or tridiagonal');
      }
      // readNpyFile refuses a device, FIFO or directory before opening it.
      const arr = await readNpyFile(path);
      if (arr.shape.length !== 2) {
        throw new NtkInputError(path, `is a 1-D array of length ${arr.shape[0]}`, 'pass an n x n matrix');
      }
      const { backend, note } = await backendFromOptions(o, !!o.json || !!o.quiet);
      try {
        const { vectors, ...r } = eigReport(npyToMatrix(arr), {
          all: o.all, vectors: o.vectors !== undefined, method: o.method as LambdaMinMethod, backend, backendNote: note,
        });
        if (vectors && o.vectors !== undefined) {
          writeFileAtomic(o.vectors, writeNpy(vectors));
          r.vectors_file = o.vectors;
        }
        if (o.json) printJson(r);
        else { checkPrintable(r); process.stdout.write(formatEigReport(r)); }
      } finally {
        await backend.dispose();
      }
    }));
}
