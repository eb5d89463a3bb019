#!/usr/bin/env python3
"""NumPy's side of `npm run bench`: the same work timed with NumPy/OpenBLAS on the same machine.

  numpy-reference.py gemm SIZES REPEATS   best-of-REPEATS seconds of A @ B.T into a reused output
                                          (np.matmul(..., out=C)) for each n in SIZES
  numpy-reference.py trial N REPEATS      median-of-REPEATS seconds of one whole trial at
                                          n = m = k = N: the independent NumPy implementation of
                                          the authors' procedure (properties/fixtures/
                                          authors_procedure.py: data, step, ridge, network and
                                          Hermite-3 on 5m test points), the work onestep's bench
                                          trial does.
Prints one JSON object. BLAS threads: as OPENBLAS_NUM_THREADS / OMP_NUM_THREADS say (the bench
sets them to the cores it uses itself). Exit code 2 on bad usage or a missing fixture script.
"""
import importlib.util
import json
import os
import statistics
import sys
import time

import numpy as np


def fail(message):
    print(f"numpy-reference: {message}", file=sys.stderr)
    sys.exit(2)


def gemm(sizes, repeats):
    out = []
    for n in sizes:
        rng = np.random.default_rng(1)
        a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
        c = a @ b.T  # warm-up
        best = min(timed(lambda: np.matmul(a, b.T, out=c)) for _ in range(repeats))
        out.append({"n": n, "seconds": best, "gflops": 2 * n ** 3 / best / 1e9})
    return out


def timed(f):
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0


def trial(n, repeats):
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "properties", "fixtures", "authors_procedure.py")
    if not os.path.exists(path):
        fail(f"{path} is missing (the NumPy trial needs the repository's fixtures)")
    spec = importlib.util.spec_from_file_location("authors_procedure", path)
    ap = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ap)
    setting = ap.setting(n=n)
    ap.trial(setting, 0)  # warm-up (imports, BLAS start-up)
    seconds = [timed(lambda s=seed: ap.trial(setting, s)) for seed in range(1, repeats + 1)]
    return {"n": n, "median": statistics.median(seconds), "seconds": seconds, "degree": ap.degree_of(setting["beta"])}


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("gemm", "trial"):
        fail("usage: numpy-reference.py gemm SIZES REPEATS | trial N REPEATS")
    try:
        repeats = int(sys.argv[3])
        if sys.argv[1] == "gemm":
            result = gemm([int(x) for x in sys.argv[2].split(",")], repeats)
        else:
            result = trial(int(sys.argv[2]), repeats)
    except ValueError as e:
        fail(str(e))
    threads = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS") or "default"
    print(json.dumps({"numpy": np.__version__, "blasThreads": threads, "result": result}))


if __name__ == "__main__":
    main()
