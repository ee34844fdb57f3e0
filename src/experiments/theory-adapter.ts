/**
 * The sweep's use of src/theory: the scalars a record keeps from lambda_1, the infinite-width
 * kernels and Theorem 4.1, in the record's shape. Kept in one file so the sweep core reads the
 * theory module in one place.
 * Browser-safe: no Node imports.
 * @module
 */
import type { Backend } from '../backend/types.js';
import type { Matrix } from '../matrix.js';
import type { Network } from '../network/network.js';
import { lambdaMin } from '../linalg/index.js';
import { cPhi, infiniteWidth, lambda1, lemma42Band, theorem41 } from '../theory/index.js';
import type { BoundRecord } from './records.js';
import type { InfiniteScalars } from './theory-cache.js';

/**
 * The infinite-width NTK of `net`'s architecture on `X`, reduced to lambda_min and trace, and
 * lambda_1 (the recursion's first-layer kernel E_1 is lambda_1's matrix, so it comes free).
 * The NNGP's lambda_min is left out: one eigenvalue problem fewer per data set.
 */
export function infiniteScalars(X: Matrix, net: Network, be: Backend): { scalars: InfiniteScalars; lambda1: number } {
  const r = infiniteWidth(X, { depth: net.L, activation: net.activation, nu0sq: net.nu0sq, sv2: net.sv2, backend: be, spectrum: false, lambda1Matrix: true });
  return {
    scalars: { lambdaMin: lambdaMin(r.Theta, { backend: be }).value, trace: r.trace },
    lambda1: r.lambda1Matrix ? lambdaMin(r.lambda1Matrix, { backend: be }).value : lambda1(X, net.activation, net.nu0sq, { backend: be }),
  };
}

/** lambda_1 of the paper (Theorem 4.1) for `net`'s activation and nu0^2 on `X`. */
export function lambda1Of(X: Matrix, net: Network, be: Backend): number {
  return lambda1(X, net.activation, net.nu0sq, { backend: be });
}

/**
 * Theorem 4.1's bound (expand convention, docs/conventions.md) and Lemma 4.2's band for a network
 * whose row norms are `cli`; both null when no sigma0 reaches the network's nu0^2 (the theorem
 * is stated in sigma0).
 */
export function bound41(net: Network, cli: Float64Array[], lambda1Value: number, lambdaMinK: number, rmax: number, be: Backend):
  { bound: BoundRecord | null; lemma42: [number, number][] | null } {
  if (net.sigma0 === null) return { bound: null, lemma42: null };
  // A sample whose layer-(L-1) activations all vanish (dead relu units at small widths) has
  // c_{L-1,i} = 0, where Theorem 4.2's coefficients are undefined: no bound at this point.
  if (cli.length >= 2 && cli[cli.length - 2]!.some((c) => !(c > 0))) {
    return { bound: null, lemma42: lemma42Band(cli, net.c ?? cPhi(net.activation, net.sigma0)) };
  }
  const t = theorem41({ activation: net.activation, sigma0: net.sigma0, nu0sq: net.nu0sq, cli, lambda1: lambda1Value, lambdaMinK, rmax, backend: be });
  const b = t.bound_expand;
  return {
    bound: {
      c0: b.c0, r_best: b.r_best, c0_lambda1: b.bound_c0_lambda1, c0_lambda1_over_4: b.bound_c0_lambda1_over_4,
      ratio: b.ratio_lambda_min_over_bound ?? lambdaMinK / b.bound_c0_lambda1, vacuous: t.vacuous,
    },
    lemma42: t.lemma42_cl2_over_c_minmax,
  };
}
