/**
 * The second pass of the Mehler pair loop (mehler.ts): pairs the first pass could not certify
 * at `tol` are tried again at `tol + nu`, nu the tables' Parseval resolution (truncation.ts).
 * The first pass keeps every pair that can be certified at tol as accurate as tol; the second
 * one adds only the pairs whose own tails are below the resolution (|rho| near 1, both
 * samples' coefficients converged), whose truncation error cannot be bounded below nu; the
 * rest (a tail still large beside a |rho| near 1) stays for the 2-D fallback.
 *
 * The backend's pair loop takes whole matrices, so the second pass runs it on sub-problems
 * made of two blocks of rows that hold uncertified pairs: each pair's numbers depend only on
 * its own rows' tables, so they are bitwise those of a full second pass, for O(block^2)
 * memory instead of another n x n copy.
 * @module
 */
import type { Backend } from '../backend/types.js';
import { scratch } from './scratch.js';
import type { SeriesTables } from './series-tables.js';

/** Rows per block of a sub-problem (a sub-problem holds at most two blocks). */
const BLOCK = 256;

/**
 * Reruns the pair loop at `eps` on the pairs (i > j) left as NaN in `out` (nser n x n matrices,
 * as `Backend.mehlerPairs` writes them) and writes back those it certifies, both triangles.
 * @param d n x n covariance (row-major, lower triangle read); isd its 1/sqrt diagonal.
 * @returns how many pairs are still uncertified (NaN).
 */
export function certifyAtResolution(be: Backend, n: number, d: Float64Array, isd: Float64Array, tables: SeriesTables,
  eps: number, parity: number, out: Float64Array): number {
  const { nser, coef, tail, diag } = tables;
  const T = tables.R + 1, nn = n * n;
  // Rows with an uncertified pair, in ascending order.
  const hit = new Uint8Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (Number.isNaN(out[i * n + j]!)) { hit[i] = 1; hit[j] = 1; }
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (hit[i]) rows.push(i);
  let left = 0;
  for (let b0 = 0; b0 < rows.length; b0 += BLOCK) {
    for (let c0 = 0; c0 <= b0; c0 += BLOCK) {
      // Rows of blocks c and b, ascending (c before b), so every pair (p > q) of the sub-problem
      // is a pair (i > j) of the full one.
      const sub = [...rows.slice(c0, Math.min(c0 + BLOCK, rows.length)), ...(c0 === b0 ? [] : rows.slice(b0, Math.min(b0 + BLOCK, rows.length)))];
      const m = sub.length, first = c0 === b0 ? 0 : Math.min(BLOCK, rows.length - c0);
      let any = false;
      for (let p = first; p < m && !any; p++) for (let q = 0; q < (c0 === b0 ? p : first) && !any; q++) any = Number.isNaN(out[sub[p]! * n + sub[q]!]!);
      if (!any) continue;
      const sc = scratch('pass2.cov', m * m), si = scratch('pass2.isd', m);
      const sco = scratch('pass2.coef', nser * T * m), sta = scratch('pass2.tail', nser * T * m);
      const sdg = scratch('pass2.diag', nser * m), so = scratch('pass2.out', nser * m * m);
      for (let p = 0; p < m; p++) {
        const i = sub[p]!;
        si[p] = isd[i]!;
        for (let q = 0; q < p; q++) sc[p * m + q] = d[i * n + sub[q]!]!;
        for (let s = 0; s < nser; s++) {
          sdg[s * m + p] = diag[s * n + i]!;
          for (let r = 0; r < T; r++) {
            sco[(s * T + r) * m + p] = coef[(s * T + r) * n + i]!;
            sta[(s * T + r) * m + p] = tail[(s * T + r) * n + i]!;
          }
        }
      }
      be.mehlerPairs(m, nser, T, sc, si, sco, sta, sdg, eps, parity, so);
      // Only the pairs this sub-problem owns: within the block when c = b, across otherwise.
      for (let p = first; p < m; p++) {
        for (let q = 0; q < (c0 === b0 ? p : first); q++) {
          const i = sub[p]!, j = sub[q]!;
          if (!Number.isNaN(out[i * n + j]!)) continue;
          if (Number.isNaN(so[p * m + q]!)) { left++; continue; }
          for (let s = 0; s < nser; s++) {
            const v = so[s * m * m + p * m + q]!;
            out[s * nn + i * n + j] = v;
            out[s * nn + j * n + i] = v;
          }
        }
      }
    }
  }
  return left;
}
