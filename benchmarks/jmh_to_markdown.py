#!/usr/bin/env python3
"""Turns the JSON of a GemmBenchmark run (java -jar benchmarks.jar GemmBenchmark -rf json) into the
markdown table of docs/performance.md: GFLOP/s = 2·m·n·k / (time per call).

Usage: python3 benchmarks/jmh_to_markdown.py jmh-result.json [--best]

By default each cell is JMH's score (the mean time of the measurement iterations). With --best it
is the fastest single iteration instead: on a machine shared with other work, the least disturbed
measurement.
"""
import json
import sys

SHAPES = ["64x64x64", "128x128x128", "256x256x256", "512x512x512", "1024x1024x1024",
          "256x400x120", "128x4608x512"]


def gflops(shape, microseconds):
    m, n, k = (int(s) for s in shape.split("x"))
    return 2.0 * m * n * k / (microseconds * 1e3)


def main(path, best=False):
    results = {}
    for run in json.load(open(path)):
        method = run["benchmark"].rsplit(".", 1)[1]
        params = run.get("params", {})
        threads = params.get("threads")
        key = method + ("@" + threads if threads else "")
        assert run["primaryMetric"]["scoreUnit"] == "us/op"
        if best:
            time = min(t for iteration in run["primaryMetric"]["rawData"] for t in iteration)
        else:
            time = run["primaryMetric"]["score"]
        results[(key, params["shape"])] = gflops(params["shape"], time)

    def cell(key, shape):
        value = results.get((key, shape))
        return "—" if value is None else "%.1f" % value

    def ratio(top, bottom, shape):
        a, b = results.get((top, shape)), results.get((bottom, shape))
        return "—" if a is None or b is None else "%.1f×" % (a / b)

    print("| shape m×n×k | naive | EJML | plain | SIMD | plain / EJML | SIMD / EJML | SIMD / plain "
          "| EJML MT | plain 2 thr | SIMD 2 thr | SIMD 2 thr / EJML MT |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for shape in SHAPES:
        print("| " + " | ".join([
            shape.replace("x", "×"),
            cell("kindlingNaive", shape), cell("ejml", shape),
            cell("kindlingPlain@1", shape), cell("kindlingSimd@1", shape),
            ratio("kindlingPlain@1", "ejml", shape), ratio("kindlingSimd@1", "ejml", shape),
            ratio("kindlingSimd@1", "kindlingPlain@1", shape),
            cell("ejmlConcurrent", shape), cell("kindlingPlain@2", shape), cell("kindlingSimd@2", shape),
            ratio("kindlingSimd@2", "ejmlConcurrent", shape)]) + " |")


if __name__ == "__main__":
    main(sys.argv[1], "--best" in sys.argv[2:])
