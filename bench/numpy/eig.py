"""numpy.linalg.eigvalsh (and with --eigh numpy.linalg.eigh) on the matrices bench/suites/eig.mjs writes: the comparison point of
the eigensolver benchmark (not a dependency of ntk-wasm; Debian's python3-numpy on OpenBLAS:
apt-get install -y python3-numpy libopenblas0-pthread).

Usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/numpy/eig.py [--reps R] [--eigh] K_500.npy ...
For each file prints one JSON line {"file", "n", "seconds": [...], "lambda_min", "lambda_max"}
(with --eigh also "eigh_seconds": [...], LAPACK dsyevd with vectors)
and saves the eigenvalues next to it as <file>.numpy-eigvals.npy.
"""
import ctypes
import json
import sys
import time

import numpy as np


def openblas_core():
    for name in ("libopenblas.so.0", "libopenblasp-r0.3.21.so"):
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            return lib.openblas_get_corename().decode(), lib.openblas_get_config().decode()
        except (OSError, AttributeError):
            continue
    return None, None


def main():
    args = sys.argv[1:]
    reps = 3
    if args[:1] == ["--reps"]:
        reps = int(args[1])
        args = args[2:]
    with_eigh = args[:1] == ["--eigh"]
    if with_eigh:
        args = args[1:]
    core, config = openblas_core()
    print(json.dumps({"numpy": np.__version__, "openblas_core": core, "openblas_config": config}), flush=True)
    for f in args:
        K = np.load(f)
        times = []
        w = None
        for _ in range(reps if K.shape[0] < 3000 else max(1, reps - 1)):
            t = time.perf_counter()
            w = np.linalg.eigvalsh(K)
            times.append(time.perf_counter() - t)
        np.save(f + ".numpy-eigvals.npy", w)
        out = {"file": f, "n": K.shape[0], "seconds": times, "lambda_min": float(w[0]), "lambda_max": float(w[-1])}
        if with_eigh:
            et = []
            for _ in range(len(times)):
                t = time.perf_counter()
                np.linalg.eigh(K)
                et.append(time.perf_counter() - t)
            out["eigh_seconds"] = et
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
