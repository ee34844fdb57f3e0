"""LAPACK's best routes to the smallest eigenvalue, on the matrices bench/suites/lambda-min.mjs
writes: scipy.linalg.eigh(K, subset_by_index=[0, 0], driver='evr') (dsyevr with an index range:
tridiagonalization, then bisection and MRRR for one eigenvalue) and numpy.linalg.eigvalsh (all
of them). numpy has no index-range driver; scipy does (Debian: apt-get install -y python3-scipy).
Not a dependency of ntk-wasm.

Usage: OPENBLAS_NUM_THREADS=T /usr/bin/python3 bench/numpy/lambda_min.py [--reps R] K.npy ...
Prints one JSON line per file: {"file", "n", "evr_seconds": [...], "eigvalsh_seconds": [...],
"lambda_min"}; the first line says which numpy, scipy and OpenBLAS kernel ran.
"""
import ctypes
import json
import sys
import time

import numpy as np

try:
    import scipy
    import scipy.linalg
except ImportError:  # numpy's eigvalsh alone then
    scipy = None


def openblas_core():
    for name in ("libopenblas.so.0", "libopenblasp-r0.3.21.so"):
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib.openblas_get_corename().decode()
        except (OSError, AttributeError):
            continue
    return None


def timed(fn, reps):
    out, val = [], None
    for _ in range(reps):
        t = time.perf_counter()
        val = fn()
        out.append(time.perf_counter() - t)
    return out, val


def main():
    args = sys.argv[1:]
    reps = 3
    if args[:1] == ["--reps"]:
        reps, args = int(args[1]), args[2:]
    print(json.dumps({"numpy": np.__version__, "scipy": scipy.__version__ if scipy else None,
                      "openblas_core": openblas_core()}), flush=True)
    for f in args:
        K = np.load(f)
        out = {"file": f, "n": K.shape[0]}
        if scipy:
            out["evr_seconds"], w = timed(lambda: scipy.linalg.eigh(K, eigvals_only=True, subset_by_index=[0, 0], driver="evr"), reps)
            out["lambda_min"] = float(w[0])
        out["eigvalsh_seconds"], w = timed(lambda: np.linalg.eigvalsh(K), reps)
        out.setdefault("lambda_min", float(w[0]))
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
