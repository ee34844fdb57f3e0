/**
 * Symmetric test matrices with a known spectrum and known eigenvectors, built in plain loops
 * independent of the library (for the eigensolver and lambda_min suites).
 */
import { randomArray } from './reference.js';

/** A matrix with a known eigendecomposition. */
export interface KnownSpectrum {
  /** Q diag(d) Q^T, row-major, exactly symmetric. */
  a: Float64Array;
  /** Q, row-major: column k (q[i * n + k]) is the unit eigenvector of d[k]. */
  q: Float64Array;
}

/**
 * Q diag(d) Q^T with Q orthonormalized (Gram-Schmidt twice) from a random matrix: the spectrum
 * is d up to the rounding of the products (a few eps * max|d| * sqrt(n)).
 */
export function knownSpectrum(d: number[], seed: number): KnownSpectrum {
  const n = d.length;
  const q = randomArray(n * n, seed); // column j: q[i * n + j]
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += q[i * n + j]! * q[i * n + k]!;
        for (let i = 0; i < n; i++) q[i * n + j]! -= s * q[i * n + k]!;
      }
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += q[i * n + j]! ** 2;
    s = Math.sqrt(s);
    for (let i = 0; i < n; i++) q[i * n + j]! /= s;
  }
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[i * n + k]! * d[k]! * q[j * n + k]!;
      a[i * n + j] = s;
      a[j * n + i] = s;
    }
  }
  return { a, q };
}

/** Q diag(d) Q^T as in {@link knownSpectrum}, the matrix only. */
export function withSpectrum(d: number[], seed: number): Float64Array {
  return knownSpectrum(d, seed).a;
}

/** ||K||_F of a row-major square matrix. */
export function frobenius(a: Float64Array): number {
  let s = 0;
  for (const x of a) s += x * x;
  return Math.sqrt(s);
}

/** The 1-2-1 Toeplitz matrix tridiag(-1, 2, -1) of order n: eigenvalues 2 - 2 cos(k pi / (n + 1)), k = 1..n. */
export function toeplitz121(n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    t[i * n + i] = 2;
    if (i > 0) { t[i * n + i - 1] = -1; t[(i - 1) * n + i] = -1; }
  }
  return t;
}
