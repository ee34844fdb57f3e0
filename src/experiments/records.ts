/**
 * One line of results.jsonl: a finished sweep point with its numbers and timings, and the
 * text form of those lines (parsing tolerates the truncated last line a killed run leaves).
 * Browser-safe: no Node imports.
 * @module
 */
import type { ActivationName } from '../activations.js';
import { NtkInputError } from '../errors.js';

/** Version of the record layout; bumped when fields change meaning. */
export const RECORD_SCHEMA = 1;

/** Theorem 4.1's bound at a point (docs/conventions.md, "Theorem constants"). */
export interface BoundRecord {
  /** c0 = max_{r = 2..rmax} c0^{(L-1,r)} (Theorem 4.2's constant), expand convention. */
  c0: number;
  /** The r attaining the max. */
  r_best: number;
  /** c0 lambda_1: Theorem 4.1's lower bound on lambda_min(K) as stated. */
  c0_lambda1: number;
  /** c0 lambda_1 / 4: with Lemma 4.1's factor 1/4 the proof drops. */
  c0_lambda1_over_4: number;
  /** lambda_min(K) / (c0 lambda_1): how far below lambda_min the bound sits. */
  ratio: number;
  /** True when the max over r runs to rmax (sigma0^2 > 2): the number is not a bound. */
  vacuous: boolean;
}

/** Seconds spent per stage of a point (the cached stages are 0 when a cache hit). */
export interface StageTimings {
  /** Drawing the data. */
  data: number;
  /** Drawing the network. */
  network: number;
  /** The empirical NTK K. */
  ntk: number;
  /** lambda_min(K), and lambda_max(K) found on the same factorization's copy of K. */
  lambda_min: number;
  /** The trace (and lambda_max when it had to be found on its own). */
  lambda_max: number;
  /** lambda_1. */
  lambda_1: number;
  /** The infinite-width NTK Theta and its lambda_min. */
  infinite: number;
  /** Theorem 4.1/4.2 constants. */
  theorem: number;
  /** The whole point. */
  total: number;
}

/** A finished point, as written to results.jsonl (snake_case: the fixtures' field names). */
export interface PointRecord {
  /** The record layout version ({@link RECORD_SCHEMA}). */
  schema: number;
  /** The point's identity ({@link pointKey}). */
  key: string;
  /** The shared-data identity ({@link dataKeyOf}). */
  data_key: string;
  /** Name of the experiment (`figure1`, `sweep`). */
  experiment: string;
  /** What the sweep varied, and its value here. */
  vary: string;
  /** The varied value at this point. */
  x: number;
  /** Activation. */
  activation: ActivationName;
  /** Samples. */
  n: number;
  /** Width of every hidden layer. */
  m: number;
  /** Hidden layers L. */
  depth: number;
  /** Input dimension. */
  d: number;
  /** Weight seed. */
  seed: number;
  /** Seed of the data X. */
  data_seed: number;
  /** Hash of the user's data file (the first n rows were used), when the data came from one. */
  data_hash?: string;
  /** sigma0 of the init (given, or solved from nu0^2; null when none reaches it). */
  sigma0: number | null;
  /** c_{phi,sigma0} (null without sigma0). */
  c: number | null;
  /** nu0^2 actually used. */
  nu0sq: number;
  /** Variance of v's entries actually used (1/m for a unit v). */
  sv2: number;
  /** Law of v. */
  v_law: 'gaussian' | 'unit';
  /** Whether data rows were rescaled to ||x||^2 = d. */
  normalize: boolean;
  /** lambda_min(K) of the empirical NTK, its method and error bound. */
  lambda_min: number;
  /** How lambda_min was computed (`cholesky-lanczos`, `tridiagonal`). */
  lambda_min_method: string;
  /** A bound on the error of lambda_min. */
  lambda_min_error: number;
  /** lambda_max(K) and a bound on its error. */
  lambda_max: number;
  /** A bound on the error of lambda_max (Lanczos residual). */
  lambda_max_error: number;
  /** trace(K). */
  trace: number;
  /** lambda_1 = lambda_min(E_g[phi(Xg/sqrt d) phi(Xg/sqrt d)^T]), g ~ N(0, nu0^2 I). */
  lambda_1: number | null;
  /** lambda_min of the infinite-width NTK Theta for the same data. */
  inf_lambda_min: number | null;
  /** trace(Theta). */
  inf_trace: number | null;
  /** Theorem 4.1's bound (null when the theory could not be evaluated). */
  bound: BoundRecord | null;
  /** Lemma 4.2's measured band per layer l = 1..L: [min_i, max_i] of c_{l,i}^2 / c (the lemma claims [1/2, 3/2]). */
  lemma42: [number, number][] | null;
  /** Seconds per stage. */
  timings: StageTimings;
  /** Which stages came from the per-data cache (computed by an earlier point). */
  cached: {
    /** Whether lambda_1 came from the cache. */
    lambda_1: boolean;
    /** Whether the infinite-width values came from the cache. */
    infinite: boolean;
  };
  /** The backend that computed it (`wasm (SIMD, 2 threads)`, `js`). */
  backend: string;
  /** When it finished (ISO 8601). */
  finished: string;
}

/** The numbers of a record without timing, backend and date: equal for the same inputs on the same backend. */
export function recordNumbers(r: PointRecord): Omit<PointRecord, 'timings' | 'cached' | 'backend' | 'finished'> {
  const { timings: _t, cached: _c, backend: _b, finished: _f, ...rest } = r;
  return rest;
}

/** One results.jsonl line (with its newline). Non-finite numbers become null, as JSON requires. */
export function formatRecord(r: PointRecord): string {
  return JSON.stringify(r) + '\n';
}

/** What {@link parseRecords} found. */
export interface ParsedRecords {
  /** The complete records, in file order. */
  records: PointRecord[];
  /** Length (in UTF-16 units of `text`, equal to bytes for this ASCII format) of the complete lines. */
  validLength: number;
  /** Whether a partial last line (a run killed while writing) was dropped. */
  truncated: boolean;
}

/**
 * Parses results.jsonl text. A last line without its newline that does not parse is what a
 * run killed mid-write leaves: it is dropped and reported. Any other bad line is an error.
 * @throws NtkInputError naming `source` and the line number of a corrupt line.
 */
export function parseRecords(text: string, source = 'results.jsonl'): ParsedRecords {
  const records: PointRecord[] = [];
  let pos = 0, line = 0, truncated = false;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    const s = text.slice(pos, end);
    line++;
    if (s.trim() !== '') {
      let rec: PointRecord | null = null;
      try {
        rec = JSON.parse(s) as PointRecord;
      } catch {
        rec = null;
      }
      if (rec === null || typeof rec !== 'object' || typeof rec.key !== 'string') {
        if (nl < 0) { truncated = true; break; }
        throw new NtkInputError(source, `line ${line} is not a result record`, 'remove the line or start over with --force');
      }
      if (nl < 0) { truncated = true; break; } // a complete-looking line without newline: rewrite it whole
      records.push(rec);
    }
    pos = nl < 0 ? text.length : nl + 1;
  }
  return { records, validLength: truncated ? pos : text.length, truncated };
}
