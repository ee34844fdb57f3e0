"""The empirical NTK by the same layerwise formula, in numpy: the comparison point of
bench/suites/ntk.mjs (not a dependency of ntk-wasm; Debian's python3-numpy with OpenBLAS).

Usage: OPENBLAS_NUM_THREADS=2 python3 bench/numpy/ntk.py [n ...]   (n = m, L = 2, d = 100, tanh)
Prints one JSON line per n: {"n": ..., "seconds": best of 3}.
"""
import json
import sys
import time

import numpy as np


def ntk(X, W1, W2, v):
    n, d = X.shape
    m1, m2 = W1.shape[0], W2.shape[0]
    H1 = X @ W1.T / np.sqrt(d)
    A1 = np.tanh(H1)
    D1 = 1 - A1 * A1
    H2 = A1 @ W2.T / np.sqrt(m1)
    A2 = np.tanh(H2)
    D2 = 1 - A2 * A2
    K = A2 @ A2.T / m2
    B2 = D2 * v[None, :] / np.sqrt(m2)
    K += (A1 @ A1.T / m1) * (B2 @ B2.T)
    B1 = D1 * (B2 @ W2) / np.sqrt(m1)
    K += (X @ X.T / d) * (B1 @ B1.T)
    return K


def main():
    sizes = [int(s) for s in sys.argv[1:]] or [500, 1000, 2000]
    rng = np.random.default_rng(0)
    for n in sizes:
        d = 100
        X = rng.standard_normal((n, d))
        W1 = rng.standard_normal((n, d)) * 1.59
        W2 = rng.standard_normal((n, n)) * 1.59
        v = rng.standard_normal(n)
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            ntk(X, W1, W2, v)
            best = min(best, time.perf_counter() - t)
        print(json.dumps({"n": n, "seconds": best}), flush=True)


if __name__ == "__main__":
    main()
