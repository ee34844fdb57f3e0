"""The infinite-width NTK by the same method as src/theory (generalized Mehler series with
trapezoid coefficients), vectorized in numpy: the comparison point of
bench/suites/infinite-width.mjs (not a dependency of ntk-wasm).

Method per layer: orthonormal Hermite coefficients b_r of tanh and tanh' at every sample's
variance by the trapezoid rule (h = 0.05, |t| <= 12) as one matrix product; then
E = sum_{r<=R} (b_r b_r^T) o rho^r by Horner over whole n x n matrices, with R fixed per layer
by the largest off-diagonal |rho| (|rho|^{R+1} <= 1e-15, at most 128): numpy cannot stop each
pair early, so it always does R terms.

Usage: OPENBLAS_NUM_THREADS=2 python3 bench/numpy/infinite_width.py X.npy depth nu0sq [sv2] [out.npy]
Prints one JSON line: {"n", "seconds" (best of 3), "R": [per layer]}; writes Theta to out.npy.
"""
import json
import math
import sys
import time

import numpy as np


def hermite_table(R, t):
    P = np.empty((R + 1, t.size))
    P[0] = 1.0
    if R >= 1:
        P[1] = t
    for r in range(1, R):
        P[r + 1] = (t * P[r] - math.sqrt(r) * P[r - 1]) / math.sqrt(r + 1)
    return P


def layer(S, R_cap=128, tol=1e-15):
    n = S.shape[0]
    a = np.diag(S).copy()
    isd = 1.0 / np.sqrt(a)
    rho = np.clip(S * isd[:, None] * isd[None, :], -1.0, 1.0)
    off = np.abs(rho[~np.eye(n, dtype=bool)])
    rmax = off[off < 1 - 1e-9].max() if off.size else 0.0
    R = 4 if rmax == 0 else max(4, min(R_cap, math.ceil(math.log(tol) / math.log(rmax))))
    h = 0.05 if a.max() <= 4 else 0.1 / math.sqrt(a.max())
    K = math.ceil(12 / h - 1e-9)
    t = np.arange(-K, K + 1) * h
    w = h * np.exp(-0.5 * t * t) / math.sqrt(2 * math.pi)
    x = np.sqrt(a)[:, None] * t[None, :]
    g = np.tanh(x)
    dg = 1.0 - g * g
    P = hermite_table(R, t)
    B = (g * w) @ P.T
    Bd = (dg * w) @ P.T
    E = np.outer(B[:, R], B[:, R])
    Ed = np.outer(Bd[:, R], Bd[:, R])
    for r in range(R - 1, -1, -1):
        E *= rho
        E += np.outer(B[:, r], B[:, r])
        Ed *= rho
        Ed += np.outer(Bd[:, r], Bd[:, r])
    idx = np.arange(n)
    E[idx, idx] = (g * g) @ w
    Ed[idx, idx] = (dg * dg) @ w
    return E, Ed, R


def infinite_width(X, depth, nu0sq, sv2=1.0):
    n, d = X.shape
    theta = X @ X.T / d
    S = nu0sq * theta
    Rs = []
    for l in range(1, depth + 1):
        E, Ed, R = layer(S)
        Rs.append(R)
        c = nu0sq if l < depth else sv2
        theta = E + c * Ed * theta
        S = nu0sq * E
    return theta, Rs


def main():
    X = np.load(sys.argv[1])
    depth = int(sys.argv[2])
    nu0sq = float(sys.argv[3])
    sv2 = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
    best = math.inf
    for _ in range(3):
        t0 = time.perf_counter()
        theta, Rs = infinite_width(X, depth, nu0sq, sv2)
        best = min(best, time.perf_counter() - t0)
    if len(sys.argv) > 5:
        np.save(sys.argv[5], theta)
    print(json.dumps({"n": X.shape[0], "seconds": best, "R": Rs}))


if __name__ == "__main__":
    main()
