"""numpy.linalg.eigvalsh (and with --eigh numpy.linalg.eigh) on the matrices bench/suites/eig.mjs writes: the comparison point of
the eigensolver benchmark (not a dependency of ntk-wasm; Debian's python3-numpy on OpenBLAS:
apt-get install -y python3-numpy libopenblas0-pthread).

Usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/numpy/eig.py [--reps R] [--eigh] K_500.npy ...
For each file prints one JSON line {"file", "n", "seconds": [...], "lambda_min", "lambda_max"}
(with --eigh also "eigh_seconds": [...], LAPACK dsyevd with vectors, "eigh_cpu_seconds": the same calls' CPU
seconds, and "eigh_stages": the seconds of
dsyevd's three stages, dsytrd / dstedc / dormtr called one by one through ctypes from the same OpenBLAS,
in the call with the least total, or null when that library does not export them)
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


def lapack():
    """The OpenBLAS that numpy's openblas_core() reports, if it exports LAPACK's dsytrd, dstedc and dormtr."""
    for name in ("libopenblas.so.0", "libopenblasp-r0.3.21.so"):
        try:
            lib = ctypes.CDLL(name)
            lib.dsytrd_, lib.dstedc_, lib.dormtr_
            return lib
        except (OSError, AttributeError):
            continue
    return None


def eigh_stages(lib, K):
    """dsyevd's stages one by one (what np.linalg.eigh runs): {tridiagonalize, tridiagonal, backTransform} seconds."""
    n = K.shape[0]
    a = np.asfortranarray(K, dtype=np.float64).copy()
    d, e, tau = np.empty(n), np.empty(max(n - 1, 1)), np.empty(max(n - 1, 1))
    z = np.empty((n, n), order="F")
    c_int, p = ctypes.c_int, lambda x: x.ctypes.data_as(ctypes.c_void_p)
    N, info = c_int(n), c_int(0)
    L, I, N_, Lc = ctypes.c_char(b"L"), ctypes.c_char(b"I"), ctypes.c_char(b"N"), ctypes.c_char(b"L")
    one = ctypes.c_size_t(1)

    def query(call):
        wq, iq = np.empty(1), np.zeros(1, dtype=np.int32)
        call(wq, iq, c_int(-1), c_int(-1))
        return max(1, int(wq[0])), max(1, int(iq[0]))

    def sytrd(w, iw, lw, liw):
        lib.dsytrd_(ctypes.byref(L), ctypes.byref(N), p(a), ctypes.byref(N), p(d), p(e), p(tau), p(w), ctypes.byref(lw), ctypes.byref(info), one)

    def stedc(w, iw, lw, liw):
        lib.dstedc_(ctypes.byref(I), ctypes.byref(N), p(d), p(e), p(z), ctypes.byref(N), p(w), ctypes.byref(lw), p(iw), ctypes.byref(liw), ctypes.byref(info), one)

    def ormtr(w, iw, lw, liw):
        lib.dormtr_(ctypes.byref(Lc), ctypes.byref(L), ctypes.byref(N_), ctypes.byref(N), ctypes.byref(N), p(a), ctypes.byref(N), p(tau), p(z),
                    ctypes.byref(N), p(w), ctypes.byref(lw), ctypes.byref(info), one, one, one)

    out = {}
    for name, call in (("tridiagonalize", sytrd), ("tridiagonal", stedc), ("backTransform", ormtr)):
        lw, liw = query(call)
        w, iw = np.empty(lw), np.zeros(liw, dtype=np.int32)
        t = time.perf_counter()
        call(w, iw, c_int(lw), c_int(liw))
        out[name] = time.perf_counter() - t
        if info.value != 0:
            return None
    return out


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
            et, ec = [], []
            for _ in range(len(times)):
                t, c = time.perf_counter(), time.process_time()
                np.linalg.eigh(K)
                et.append(time.perf_counter() - t)
                ec.append(time.process_time() - c)
            out["eigh_seconds"] = et
            out["eigh_cpu_seconds"] = ec
            lib = lapack()
            best = None
            for _ in range(len(times) if lib else 0):
                st = eigh_stages(lib, K)
                if st and (best is None or sum(st.values()) < sum(best.values())):
                    best = st
            out["eigh_stages"] = best
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
