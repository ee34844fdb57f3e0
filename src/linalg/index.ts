/**
 * Symmetric eigenvalue routines. TEMPORARY: ml-matrix's EVD until the eigensolver work
 * (blocked Householder + QL, Cholesky + Lanczos) replaces this file; the signatures stay.
 * @module
 */
import { EigenvalueDecomposition } from 'ml-matrix';
import type { Backend } from '../backend/types.js';
import { toMl, type Matrix } from '../matrix.js';

/** Options shared by the eigen routines. */
export interface EigOptions {
  /** Backend to run on (default: the default backend). */
  backend?: Backend;
}

/** All eigenvalues of a symmetric matrix, ascending. */
export function eigvalsh(k: Matrix, _opts: EigOptions = {}): Float64Array {
  const e = new EigenvalueDecomposition(toMl(k), { assumeSymmetric: true });
  return Float64Array.from(e.realEigenvalues).sort();
}

/** Result of {@link lambdaMin}. */
export interface LambdaMinResult {
  /** The smallest eigenvalue. */
  value: number;
  /** How it was computed. */
  method: 'cholesky-lanczos' | 'tridiagonal';
  /** A bound on |value - lambda_min|. */
  errorBound: number;
}

/** The smallest eigenvalue of a symmetric matrix. */
export function lambdaMin(k: Matrix, opts: EigOptions = {}): LambdaMinResult {
  const ev = eigvalsh(k, opts);
  return { value: ev[0]!, method: 'tridiagonal', errorBound: 1e-14 * Math.max(Math.abs(ev[0]!), Math.abs(ev[ev.length - 1]!)) };
}
