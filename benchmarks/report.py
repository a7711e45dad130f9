#!/usr/bin/env python3
"""Writes docs/performance.md from the raw results of benchmarks/run.sh; the only source of that file.

Usage: python3 benchmarks/report.py benchmarks/target/results docs/performance.md

Outputs: the markdown file, and beside it a directory of the same name without ".md"
(docs/performance/) with SVG charts drawn from the same figures as the tables (svgchart.py, standard
library only), linked from the markdown next to their tables: gemm-1t.svg, gemm-2t.svg, conv.svg,
training.svg. Both are rewritten on every run.

Inputs (in the results directory): machine.txt (key=value), peers.json (PeerCheck), peak.json
(FmaPeak), gemm.json / conv.json / poolnorm.json (JMH -rf json), train.jsonl (TrainingThroughput, one
JSON object a line), torch.json (torch_bench.py). The prose that does not depend on the numbers lives
in the TEXT_* strings below; every number in the report and its charts is computed here from those files.
"""
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))   # svgchart.py, when run by path
from svgchart import bar_chart  # noqa: E402

GEMM_SHAPES = ["64x64x64", "128x128x128", "256x256x256", "512x512x512", "1024x1024x1024",
               "256x400x120", "128x4608x512", "16x300x150", "64x784x576", "96x2916x121"]
GEMM_NOTES = {"256x400x120": "LeNet-size FC", "128x4608x512": "conv as GEMM",
              "16x300x150": "LeNet conv2, one chunk", "64x784x576": "ResNet 3×3, one chunk",
              "96x2916x121": "AlexNet conv1, one chunk"}
# (N, C_in, H, W, C_out, k, stride, padding), as ConvBenchmark.geometry
CONV_LAYERS = {"lenet2": (256, 6, 14, 14, 16, 5, 1, 0), "resnet": (32, 64, 28, 28, 64, 3, 1, 1),
               "alexnet1": (8, 1, 224, 224, 96, 11, 4, 1)}
CONV_NAMES = {"lenet2": "LeNet conv2, N=256, 6→16, 14×14, k5",
              "resnet": "ResNet, N=32, 64→64, 28×28, k3 p1",
              "alexnet1": "AlexNet conv1, N=8, 1→96, 224×224, k11 s4 p1"}
MODELS = {"lenet": "d2l LeNet, 28×28, batch 256", "resnet-small": "ResNet.small(), 28×28, batch 128",
          "resnet18": "d2l ResNet-18, 96×96, batch 128"}
# chart colours, one per peer in every chart (Okabe-Ito)
BLUE, SKY, GREEN, ORANGE, VERMILLION, PURPLE, BLACK = ("#0072B2", "#56B4E9", "#009E73", "#E69F00", "#D55E00",
                                                       "#CC79A7", "#000000")


def load_jmh(path):
    """{(method, params-without-threads..., threads): run} from a JMH JSON file; empty when missing."""
    runs = {}
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return runs
    for run in json.load(open(path)):
        method = run["benchmark"].rsplit(".", 1)[1]
        params = dict(run.get("params", {}))
        threads = params.pop("threads", None)
        key = (method,) + tuple(params[k] for k in sorted(params)) + (threads,)
        runs[key] = run
    return runs


def conv_macs(layer):
    n, cin, h, w, cout, k, s, p = CONV_LAYERS[layer]
    out_h, out_w = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
    return n * cout * out_h * out_w * cin * k * k


def fmt(value, digits=1, unit=""):
    return "—" if value is None else ("%." + str(digits) + "f%s") % (value, unit)


def ratio(a, b):
    return "—" if a is None or b is None or b == 0 else "%.2f×" % (a / b)


def gc_figures(run):
    """(MB allocated per operation, GC time as a share of the measured time) from JMH's -prof gc."""
    if run is None:
        return None, None
    secondary = run.get("secondaryMetrics", {})
    alloc = next((m["score"] for k, m in secondary.items() if k.endswith("gc.alloc.rate.norm")), None)
    gc_time = next((m["score"] for k, m in secondary.items() if k.endswith("gc.time")), None)
    iterations = len(run["primaryMetric"]["rawData"][0])
    seconds = float(run["measurementTime"].split()[0]) * iterations
    if gc_time is None and alloc is not None:
        gc_time = 0.0                              # JMH omits gc.time when no collection happened
    share = None if gc_time is None else gc_time / 1000.0 / seconds
    return (None if alloc is None else alloc / 1048576.0), share


class Report:
    def __init__(self, results, chart_dir="performance"):
        self.dir = results
        self.chart_dir = chart_dir                 # the charts' directory, relative to the markdown file
        self.charts = {}                           # file name -> SVG text
        self.machine = dict(line.rstrip("\n").split("=", 1) for line in open(os.path.join(results, "machine.txt"))
                            if "=" in line)
        self.peers = self.json("peers.json")
        self.peak = self.json("peak.json")
        self.gemm = load_jmh(os.path.join(results, "gemm.json"))
        self.conv = load_jmh(os.path.join(results, "conv.json"))
        self.poolnorm = load_jmh(os.path.join(results, "poolnorm.json"))
        self.torch = self.json("torch.json")
        self.train = {}
        path = os.path.join(results, "train.jsonl")
        for line in open(path) if os.path.exists(path) else []:
            if line.strip().startswith("{"):
                row = json.loads(line)
                self.train[(row["model"], str(row["threads"]))] = row
        self.out = []

    def json(self, name):
        path = os.path.join(self.dir, name)
        return json.load(open(path)) if os.path.exists(path) and os.path.getsize(path) else {}

    def p(self, *lines):
        self.out.extend(lines)

    def chart(self, name, alt, *args, **kwargs):
        """Draws a chart (bar_chart's arguments) and links it here in the markdown."""
        self.charts[name] = bar_chart(alt, *args, **kwargs)
        self.p("![%s](%s/%s)" % (alt, self.chart_dir, name))

    def subtitle(self, what):
        return "%s; run of %s, commit %s" % (what, (self.machine.get("date") or "?")[:10], self.machine.get("commit"))

    # ---- figures -------------------------------------------------------------------------------
    def gflops(self, method, shape, threads=None):
        run = self.gemm.get((method, shape, threads))
        if run is None:
            return None
        m, n, k = (int(s) for s in shape.split("x"))
        return 2.0 * m * n * k / (run["primaryMetric"]["score"] * 1e3)   # score in µs/op

    def torch_gemm(self, shape, threads):
        return self.torch.get("threads", {}).get(threads, {}).get("gemm_gflops", {}).get(shape)

    def conv_ms(self, method, layer, threads=None):
        run = self.conv.get((method, layer, threads))
        return None if run is None else run["primaryMetric"]["score"]

    def torch_conv_ms(self, layer, threads, which):
        return self.torch.get("threads", {}).get(threads, {}).get("conv", {}).get(layer, {}).get(which)

    def torch_train(self, model, threads):
        return self.torch.get("threads", {}).get(threads, {}).get("train", {}).get(model)

    def peak_1core(self):
        return self.peak.get("peak_gflops_1core")

    # ---- sections ------------------------------------------------------------------------------
    def header(self):
        m = self.machine
        loads = [(k[len("load_"):], v) for k, v in m.items() if k.startswith("load_")]
        busiest = max(float(v.split()[0]) for _, v in loads) if loads else 0.0
        self.p("# Performance", "",
               "What has been measured, on which machine, and how to measure it again. **This file is generated** "
               "by `benchmarks/run.sh` (through `benchmarks/report.py`); edit those, not this file.", "",
               "## Machine and software of this run", "",
               "| | |", "|---|---|",
               "| date, mode | %s, %s run, commit %s |" % (m.get("date"), m.get("mode"), m.get("commit")),
               "| CPU | %s, %s vCPUs (%s thread per core), %s MHz reported |" % (
                   m.get("cpu_model"), m.get("cpus"), m.get("threads_per_core"), m.get("cpu_mhz")),
               "| caches | %s |" % m.get("caches", "").replace(";", ", "),
               "| SIMD flags | %s |" % (m.get("flags") or "none of avx2/fma/avx512"),
               "| memory | %s |" % m.get("memory"),
               "| FMA peak, measured (`FmaPeak`) | %s GFLOP/s per core (%s float lanes); two cores: %s "
               "(FMA chains %s, GemmSimd's micro-kernel loop in L1 %s) |" % (
                   fmt(self.peak_1core()), self.peak.get("lanes", "?"),
                   fmt(None if self.peak_1core() is None else 2 * self.peak_1core()),
                   fmt(self.peak.get("chains_gflops")), fmt(self.peak.get("kernel_gflops"))),
               "| JDK | %s |" % m.get("java"),
               "| Maven | %s |" % m.get("maven"),
               "| peers | EJML 0.44.0; ND4J 1.0.0-M2.1 `nd4j-native` linux-x86_64 (OpenBLAS 0.3.19 inside); "
               "PyTorch %s (Debian python3-torch), its BLAS: `%s` |" % (m.get("torch"), m.get("torch_blas")),
               "| load average (1, 5, 15 min) | %s |" % "; ".join("%s: %s" % (k, v) for k, v in loads), "")
        cpus = int(m.get("cpus") or 2)
        if busiest > cpus + 0.5:
            self.p("**The machine was shared during this run** (load average up to %.1f on %s vCPUs, where the "
                   "benchmarks' own two threads account for at most 2): other work ran beside the benchmarks, "
                   "so every absolute number below is low by an unknown and uneven amount, JMH's error bars are "
                   "wide, and ratios between peers measured minutes apart (PyTorch runs last) can be off by ±30%% "
                   "or more. Rerun `benchmarks/run.sh` on a quiet machine before drawing conclusions."
                   % (busiest, m.get("cpus")), "")
        else:
            self.p("Nothing else ran during this run: the load average (at most %.1f on %s vCPUs) is the "
                   "benchmarks' own threads. This is a VM, though, and its host's other tenants can still take "
                   "time from it: see the FMA peak below." % (busiest, m.get("cpus")), "")
        first = float(m.get("load_before", "0").split()[0])
        torch_load = float(m.get("load_after_kindling_training", m.get("load_after", "0")).split()[0])
        if abs(first - torch_load) > 1:
            self.p("The load changed during the run: %.1f when the Java benchmarks started, %.1f when PyTorch "
                   "started. Java-versus-PyTorch ratios are biased %s Kindling by that difference." % (
                       first, torch_load, "against" if first > torch_load else "in favour of"), "")
        if self.peak_1core() and self.peak_1core() < 95:
            self.p("The peak measured in this run (%.1f GFLOP/s per core) is below the ≈ 106 the performance goals quote "
                   "for this kind of machine: on this VM the probe reads between about 60 and 101 from one run "
                   "to the next (the host's other tenants take time from it, and the clock boosts or not), so "
                   "\"%% of peak\" below is flattering by up to %.0f%% against 106." % (
                       self.peak_1core(), 100 * (106 / self.peak_1core() - 1)), "")
        if "avx512f" not in m.get("flags", ""):
            self.p("This VM exposes AVX2 and FMA but no AVX-512, so the `linux-x86_64-onednn-avx512` build of "
                   "ND4J the goals name cannot run here and is not in the tables; `GemmSimd` runs with "
                   "256-bit vectors.", "")
        if "openblas" not in m.get("torch_blas", ""):
            self.p("PyTorch's `torch.mm` goes through the system BLAS, which here is `%s`, the reference "
                   "(netlib) BLAS, not OpenBLAS: the goals' PyTorch GEMM figures assume `libopenblas0-pthread` "
                   "is installed. PyTorch's convolutions use oneDNN and do not depend on it." % m.get("torch_blas"),
                   "")

    def how_to(self):
        self.p(TEXT_HOW_TO, "")
        if self.peers:
            worst = max(self.peers.values())
            self.p("**Peers compute the same thing.** Before timing, `PeerCheck` runs one GEMM and the three "
                   "convolution layers (y, ∂L/∂x, ∂L/∂W, ∂L/∂b) through Kindling and ND4J with the benchmarks' "
                   "inputs, layouts and arguments: the largest difference relative to the largest value is "
                   "%.1e (float32 sums in a different order)." % worst, "")

    def gemm_section(self):
        self.p("## GEMM: C = A · B (float32, row-major, no transposes, β = 0)", "", TEXT_GEMM, "",
               "GFLOP/s (JMH score, the mean of the measurement iterations):", "",
               "| shape m×n×k | | naive | EJML | plain | SIMD | ND4J | PyTorch | EJML MT | plain 2T | SIMD 2T "
               "| ND4J 2T | PyTorch 2T |",
               "|---|---|" + "---:|" * 11)
        shapes = [s for s in GEMM_SHAPES if self.gflops("kindlingSimd", s, "1") is not None
                  or self.torch_gemm(s, "1") is not None]
        for shape in shapes:
            self.p("| %s | %s | %s |" % (shape.replace("x", "×"), GEMM_NOTES.get(shape, ""), " | ".join(fmt(v) for v in [
                self.gflops("kindlingNaive", shape), self.gflops("ejml", shape),
                self.gflops("kindlingPlain", shape, "1"), self.gflops("kindlingSimd", shape, "1"),
                self.gflops("nd4j", shape, "1"), self.torch_gemm(shape, "1"), self.gflops("ejmlConcurrent", shape),
                self.gflops("kindlingPlain", shape, "2"), self.gflops("kindlingSimd", shape, "2"),
                self.gflops("nd4j", shape, "2"), self.torch_gemm(shape, "2")])))
        peak = self.peak_1core()
        for threads, goal, ejml in (("1", 85, ("EJML", "ejml")), ("2", 160, ("EJML MT", "ejmlConcurrent"))):
            methods = [("Kindling SIMD", "kindlingSimd", threads), ("Kindling plain", "kindlingPlain", threads),
                       ejml + (None,), ("ND4J", "nd4j", threads)]
            cores, plural = int(threads), "" if threads == "1" else "s"
            top = peak and cores * peak
            self.p("")
            self.chart("gemm-%st.svg" % threads, "GEMM, %s thread%s" % (threads, plural),
                       [s.replace("x", "×") for s in shapes], [name for name, _, _ in methods] + ["PyTorch"],
                       [[self.gflops(method, s, t) for s in shapes] for _, method, t in methods]
                       + [[self.torch_gemm(s, threads) for s in shapes]], "GFLOP/s",
                       subtitle=self.subtitle("float32 C = A·B, shape m×n×k, higher is better"),
                       colours=[BLUE, SKY, GREEN, PURPLE, VERMILLION],
                       lines=[("goal: %d" % goal, goal, BLACK, "7 4"),
                              ("FMA peak measured, %d core%s: %s" % (cores, plural, fmt(top)), top, ORANGE, "2 3")])
        self.p("", "Percent of the measured FMA peak (one core for 1 thread, two for 2) and ratios, "
               "higher is better for Kindling:", "",
               "| shape m×n×k | SIMD % peak | SIMD 2T % peak | plain / EJML | SIMD / EJML | SIMD / ND4J "
               "| SIMD / PyTorch | SIMD 2T / EJML MT | SIMD 2T / ND4J 2T | SIMD 2T / PyTorch 2T |",
               "|---|" + "---:|" * 9)
        for shape in shapes:
            simd, simd2 = self.gflops("kindlingSimd", shape, "1"), self.gflops("kindlingSimd", shape, "2")
            self.p("| %s | %s |" % (shape.replace("x", "×"), " | ".join([
                fmt(None if simd is None or not peak else 100 * simd / peak, 0, "%"),
                fmt(None if simd2 is None or not peak else 100 * simd2 / (2 * peak), 0, "%"),
                ratio(self.gflops("kindlingPlain", shape, "1"), self.gflops("ejml", shape)),
                ratio(simd, self.gflops("ejml", shape)), ratio(simd, self.gflops("nd4j", shape, "1")),
                ratio(simd, self.torch_gemm(shape, "1")), ratio(simd2, self.gflops("ejmlConcurrent", shape)),
                ratio(simd2, self.gflops("nd4j", shape, "2")), ratio(simd2, self.torch_gemm(shape, "2"))])))
        self.p("", TEXT_GEMM_ANALYSIS, "")

    def conv_section(self):
        self.p("## Convolution (conv2d), forward and forward + backward", "", TEXT_CONV, "")
        for which, kind, factor in (("forward", "Forward", 1), ("forward + backward", "ForwardBackward", 3)):
            self.p("**%s**, ms per call (GFLOP/s in brackets):" % which.capitalize(), "",
                   "| layer | naive | Kindling | ND4J | PyTorch | Kindling 2T | ND4J 2T | PyTorch 2T "
                   "| Kindling / ND4J | Kindling / PyTorch | 2T: Kindling / ND4J | 2T: Kindling / PyTorch |",
                   "|---|" + "---:|" * 11)
            torch_key = "forward_ms" if factor == 1 else "forward_backward_ms"
            for layer in CONV_LAYERS:
                flop = 2.0 * factor * conv_macs(layer)
                naive = self.conv_ms("kindlingNaiveForward", layer) if factor == 1 else None
                cells = {t: (self.conv_ms("kindling" + kind, layer, t), self.conv_ms("nd4j" + kind, layer, t),
                             self.torch_conv_ms(layer, t, torch_key)) for t in ("1", "2")}

                def timed(ms):
                    return "—" if ms is None else "%.1f (%.1f)" % (ms, flop / (ms * 1e6))
                self.p("| %s | %s |" % (CONV_NAMES[layer], " | ".join(
                    [timed(naive), timed(cells["1"][0]), timed(cells["1"][1]), timed(cells["1"][2]),
                     timed(cells["2"][0]), timed(cells["2"][1]), timed(cells["2"][2]),
                     ratio(cells["1"][1], cells["1"][0]), ratio(cells["1"][2], cells["1"][0]),
                     ratio(cells["2"][1], cells["2"][0]), ratio(cells["2"][2], cells["2"][0])])))
            self.p("")
        groups = [(layer, t) for layer in CONV_LAYERS for t in ("1", "2")]

        def fb_gflops(ms, layer):
            return None if ms is None else 2.0 * 3 * conv_macs(layer) / (ms * 1e6)
        self.chart("conv.svg", "Convolution, forward + backward",
                   ["%s\n%s thread%s" % (CONV_NAMES[layer].split(",")[0], t, "s" if t != "1" else "")
                    for layer, t in groups], ["Kindling", "ND4J", "PyTorch"],
                   [[fb_gflops(self.conv_ms("kindlingForwardBackward", layer, t), layer) for layer, t in groups],
                    [fb_gflops(self.conv_ms("nd4jForwardBackward", layer, t), layer) for layer, t in groups],
                    [fb_gflops(self.torch_conv_ms(layer, t, "forward_backward_ms"), layer) for layer, t in groups]],
                   "GFLOP/s", colours=[BLUE, PURPLE, VERMILLION],
                   subtitle=self.subtitle("y, ∂L/∂x, ∂L/∂W, ∂L/∂b: 3× the forward's FLOP; higher is better"))
        self.p("")
        self.p("JMH `-prof gc` for forward + backward (MB allocated per call; share of the measured time "
               "spent in garbage collection):", "",
               "| layer | Kindling MB/call | Kindling GC % | Kindling 2T GC % | ND4J MB/call (Java heap) | ND4J GC % |",
               "|---|---:|---:|---:|---:|---:|")
        for layer in CONV_LAYERS:
            k1 = gc_figures(self.conv.get(("kindlingForwardBackward", layer, "1")))
            k2 = gc_figures(self.conv.get(("kindlingForwardBackward", layer, "2")))
            n1 = gc_figures(self.conv.get(("nd4jForwardBackward", layer, "1")))
            self.p("| %s | %s | %s | %s | %s | %s |" % (
                CONV_NAMES[layer], fmt(k1[0]), fmt(None if k1[1] is None else 100 * k1[1], 1, "%"),
                fmt(None if k2[1] is None else 100 * k2[1], 1, "%"), fmt(n1[0], 3),
                fmt(None if n1[1] is None else 100 * n1[1], 1, "%")))
        self.p("", TEXT_CONV_ANALYSIS, "")
        lines = []
        for layer, shape in (("lenet2", "16x300x150"), ("resnet", "64x784x576"), ("alexnet1", "96x2916x121")):
            ms, gemm = self.conv_ms("kindlingForward", layer, "1"), self.gflops("kindlingSimd", shape, "1")
            if ms and gemm:
                conv = 2.0 * conv_macs(layer) / (ms * 1e6)
                lines.append("%s forward %.1f GFLOP/s against %.1f for its im2col GEMM (%s) alone: %.0f%%"
                             % (layer, conv, gemm, shape.replace("x", "×"), 100 * conv / gemm))
        if lines:
            self.p("Where a Kindling convolution loses time, one thread: " + "; ".join(lines) + ". The difference "
                   "is im2col (a copy of every input value k_h·k_w times: about 0.35 ns a value on long rows, "
                   "0.7 on LeNet's 10-wide rows) and, for chunks of several images, the copy back to "
                   "(N, C_out, H_out, W_out). Fusing im2col into the packing of B, so that the col matrix is "
                   "never written, is the next step.", "")

    def poolnorm_ms(self, method, threads):
        """(median, min, max) ms per call over a PoolNormBenchmark's measured iterations, or None."""
        run = self.poolnorm.get((method, threads))
        if run is None:
            return None
        raw = sorted(v for fork in run["primaryMetric"].get("rawData", []) for v in fork)
        if not raw:
            score = run["primaryMetric"]["score"]
            return score, score, score
        return statistics.median(raw), raw[0], raw[-1]

    def poolnorm_ratios(self):
        """{(layer, threads, 'fwd' or 'fwd+bwd'): ND4J's median time / Kindling's} for every pair measured."""
        ratios = {}
        for name, _ in POOLNORM_LAYERS:
            for threads in ("1", "2"):
                for suffix, which in (("Forward", "fwd"), ("ForwardBackward", "fwd+bwd")):
                    k = self.poolnorm_ms("kindling%s%s" % (name, suffix), threads)
                    n = self.poolnorm_ms("nd4j%s%s" % (name, suffix), threads)
                    if k and n and k[0] > 0:
                        ratios[(name, threads, which)] = n[0] / k[0]
        return ratios

    def poolnorm_section(self):
        self.p("## Pooling and batch norm", "", TEXT_POOLNORM, "",
               "| layer | threads | Kindling fwd | ND4J fwd | ND4J / Kindling fwd | Kindling fwd+bwd | ND4J fwd+bwd "
               "| ND4J / Kindling fwd+bwd | Kindling fwd+bwd MB/call |",
               "|---|---:|" + "---:|" * 7)

        def cell(t):
            return "—" if t is None else "%.2f (%.2f–%.2f)" % t

        ratios = self.poolnorm_ratios()
        for name, label in POOLNORM_LAYERS:
            for threads in ("1", "2"):
                kf = self.poolnorm_ms("kindling%sForward" % name, threads)
                nf = self.poolnorm_ms("nd4j%sForward" % name, threads)
                kb = self.poolnorm_ms("kindling%sForwardBackward" % name, threads)
                nb = self.poolnorm_ms("nd4j%sForwardBackward" % name, threads)
                alloc = gc_figures(self.poolnorm.get(("kindling%sForwardBackward" % name, threads)))[0]
                self.p("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    label, threads, cell(kf), cell(nf), fmt(ratios.get((name, threads, "fwd")), 2, "×"),
                    cell(kb), cell(nb), fmt(ratios.get((name, threads, "fwd+bwd")), 2, "×"), fmt(alloc)))
        self.p("", "Times in ms per call, the median of the measured iterations with their range; "
                   "\"ND4J / Kindling\" above 1 means Kindling is faster.", "")

    def poolnorm_goal(self):
        """The pooling and batch-norm goal line of goals(), self-contained."""
        ratios = list(self.poolnorm_ratios().values())
        complete = len(ratios) == len(POOLNORM_LAYERS) * 2 * 2
        self.p("- **Max and average pooling and batch norm at least as fast as ND4J, forward and forward + "
               "backward, 1 and 2 threads**: %s. ND4J's time / Kindling's over the %d pairs: %s%s." % (
                   verdict((complete and min(ratios) >= 1) if ratios else None),
                   len(ratios), span(ratios, "×", 2),
                   "" if complete or not ratios else " (**not every pair measured in this run**)"))

    def training_section(self):
        self.p("## End to end: training steps", "", TEXT_TRAIN, "",
               "| model | threads | Kindling ms/step | Kindling images/s | PyTorch ms/step | PyTorch images/s "
               "| Kindling / PyTorch | GC time | peak heap / -Xmx (MB) | steps timed |",
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for model in MODELS:
            for threads in ("1", "2"):
                k, t = self.train.get((model, threads)), self.torch_train(model, threads)
                self.p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    MODELS[model], threads, fmt(k and k["ms_per_step"], 0), fmt(k and k["images_per_s"], 0),
                    fmt(t and t["ms_per_step"], 0), fmt(t and t["images_per_s"], 0),
                    ratio(k and k["images_per_s"], t and t["images_per_s"]),
                    fmt(k and 100 * k["gc_share"], 1, "%"),
                    "—" if not k else "%.0f / %.0f" % (k["peak_heap_mb"], k["max_heap_mb"]),
                    "—" if not k else "%d (PyTorch %s)" % (k["steps"], t["steps"] if t else "—")))
        groups = [(model, t) for model in MODELS for t in ("1", "2")]
        kindling = [self.train.get(g) for g in groups]
        torch = [self.torch_train(*g) for g in groups]
        self.p("")
        self.chart("training.svg", "Training throughput",
                   ["%s\n%s thread%s" % (MODELS[model].split(",")[0], t, "s" if t != "1" else "")
                    for model, t in groups], ["Kindling", "PyTorch"],
                   [[r and r["images_per_s"] for r in kindling], [r and r["images_per_s"] for r in torch]],
                   "images/s", subtitle=self.subtitle("whole SGD steps, synthetic data; higher is better"),
                   log=True, colours=[BLUE, VERMILLION])
        lenet = self.train.get(("lenet", "1"))
        if lenet and lenet.get("heap_after_gc_mb"):
            checks = lenet["heap_after_gc_mb"]
            self.p("", "**Memory.** LeNet trained in `-Xmx%.0fm`. Used heap right after `System.gc()`: %s." % (
                lenet["max_heap_mb"], ", ".join("%s MB at step %s" % (v, k) for k, v in checks.items())))
        self.p("", TEXT_TRAIN_ANALYSIS, "")

    def goals(self):
        self.p("## The performance goals, and where each stands in this run", "")
        peak = self.peak_1core()
        simd = {s: self.gflops("kindlingSimd", s, "1") for s in GEMM_SHAPES}
        goal_shapes = ["128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "256x400x120", "128x4608x512"]
        measured = [simd[s] for s in goal_shapes if simd[s] is not None]
        self.p("- **SGEMM SIMD ≥ 85 GFLOP/s single-threaded on 128…1024 and both network shapes**: %s. "
               "Measured %s GFLOP/s (%s of the measured FMA peak of %s)." % (
                   verdict(measured and min(measured) >= 85), span(measured),
                   span([100 * v / peak for v in measured], "%") if peak else "—", fmt(peak)))
        two = [self.gflops("kindlingSimd", s, "2") for s in ("512x512x512", "1024x1024x1024")]
        two = [v for v in two if v is not None]
        self.p("- **SGEMM SIMD ≥ 160 GFLOP/s with 2 threads at 512 and above**: %s. Measured %s GFLOP/s." % (
            verdict(two and min(two) >= 160), span(two)))
        plain = [self.gflops("kindlingPlain", s, "1") / self.gflops("ejml", s) for s in GEMM_SHAPES
                 if self.gflops("kindlingPlain", s, "1") and self.gflops("ejml", s)]
        self.p("- **SGEMM plain Java ≥ 1.5× EJML**: %s. Measured %s." % (
            verdict(plain and min(plain) >= 1.5), span(plain, "×", 2)))
        vs_torch, vs_nd4j = [], []
        for layer in CONV_LAYERS:
            for t in ("1", "2"):
                kms = self.conv_ms("kindlingForwardBackward", layer, t)
                tms = self.torch_conv_ms(layer, t, "forward_backward_ms")
                nms = self.conv_ms("nd4jForwardBackward", layer, t)
                if kms and tms:
                    vs_torch.append(tms / kms)
                if kms and nms:
                    vs_nd4j.append(nms / kms)
        self.p("- **conv2d forward+backward ≥ 0.8× PyTorch (oneDNN) on all three layers at 1 and 2 threads**: %s. "
               "Kindling's speed relative to PyTorch: %s." % (verdict(vs_torch and min(vs_torch) >= 0.8),
                                                              span(vs_torch, "×", 2)))
        self.p("- **conv2d forward+backward ≥ 4× ND4J's default build**: %s. Measured %s." % (
            verdict(vs_nd4j and min(vs_nd4j) >= 4), span(vs_nd4j, "×", 2)))
        lenet = [(self.train.get(("lenet", t)), self.torch_train("lenet", t)) for t in ("1", "2")]
        lenet = [k["images_per_s"] / p["images_per_s"] for k, p in lenet if k and p]
        self.p("- **d2l LeNet training no slower than PyTorch at the same thread count**: %s. Kindling's "
               "images/s relative to PyTorch's: %s (synthetic data, whole SGD steps; an epoch over "
               "Fashion-MNIST adds data loading, not timed here)." % (verdict(lenet and min(lenet) >= 1),
                                                                      span(lenet, "×", 2)))
        r18 = [(self.train.get(("resnet18", t)), self.torch_train("resnet18", t)) for t in ("1", "2")]
        r18 = [p["images_per_s"] / k["images_per_s"] for k, p in r18 if k and p]
        self.p("- **ResNet-18 step within 1.25× of PyTorch**: %s. Kindling's step takes %s PyTorch's." % (
            verdict(r18 and max(r18) <= 1.25), span(r18, "×", 2)))
        lenet1 = self.train.get(("lenet", "1"))
        if lenet1:
            checks = list(lenet1.get("heap_after_gc_mb", {}).values())
            grows = len(checks) >= 2 and checks[-1] > checks[0] * 1.2 + 2
            gcs = [r["gc_share"] for r in self.train.values()]
            self.p("- **Memory: LeNet trains in -Xmx512m**: %s (-Xmx%.0fm, %d steps). **Heap does not grow over "
                   "1,000 steps**: %s; live heap after GC %s%s. **GC under 5 %% of step time**: %s; GC share "
                   "of the training runs %s (JMH `-prof gc` figures in the convolution section)." % (
                       verdict(lenet1["max_heap_mb"] <= 512), lenet1["max_heap_mb"], lenet1["steps"],
                       verdict([] if len(checks) < 2 else not grows),
                       " → ".join("%s MB at step %s" % (v, k) for k, v in lenet1["heap_after_gc_mb"].items()) or "—",
                       "" if lenet1["steps"] >= 1000 else " (**quick run: fewer than 1,000 steps**)",
                       verdict(gcs and max(gcs) < 0.05), span([100 * g for g in gcs], "%")))
        small = [self.gflops("kindlingSimd", s, "2") / self.gflops("kindlingSimd", s, "1")
                 for s in ("64x64x64", "128x128x128", "256x256x256")
                 if self.gflops("kindlingSimd", s, "2") and self.gflops("kindlingSimd", s, "1")]
        self.p("- **Small products stay on one thread where threads would slow them** (SIMD 2T / 1T at 64³–256³ "
               "not below 0.9): %s. Measured %s." % (verdict(small and min(small) >= 0.9), span(small, "×", 2)))
        self.p("- **Readable kernels**: the SIMD GEMM's javadoc explains packing, register blocking, tails "
               "and threading, the naive kernels stay beside the fast ones and are tested against them "
               "(not a measurement; see [kernels.md](kernels.md)).", "")

    def render(self):
        self.header()
        self.how_to()
        self.goals()
        self.gemm_section()
        self.conv_section()
        self.poolnorm_section()
        self.training_section()
        self.p(TEXT_TUNING)
        self.p(TEXT_NOT_MEASURED)
        return "\n".join(self.out).rstrip() + "\n"


def verdict(ok):
    """**met** / **not met**; ok is None or an empty list when this run has no figure for the goal."""
    if ok is None or (isinstance(ok, list) and not ok):
        return "**not measured in this run**"
    return "**met**" if ok else "**not met**"


def span(values, unit="", digits=1):
    values = [v for v in values if v is not None]
    if not values:
        return "—"
    low, high = min(values), max(values)
    f = "%." + str(digits) + "f"
    return (f % low + unit) if abs(high - low) < 10 ** -digits else (f % low + "–" + f % high + unit)


TEXT_HOW_TO = """## How to run, and how to read the tables

One command, from the repository root, builds the `benchmarks` module (`-Pbenchmarks`; never part of
the default build or CI), runs everything and rewrites this file:

```
benchmarks/run.sh            # full run, about 20 minutes on 2 cores
benchmarks/run.sh --quick    # smoke run, about 10 minutes: 3 GEMM shapes, 1 iteration, few training steps
```

Raw results stay in `benchmarks/target/results/` (JMH JSON, the harness's JSON lines, `torch.json`,
`machine.txt`). Single pieces by hand:

```
mvn -o -Pbenchmarks -pl benchmarks -am package -DskipTests -Dquick
java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar ConvBenchmark -f 1 -wi 2 -i 3 -prof gc
java --add-modules jdk.incubator.vector -Xmx512m -cp benchmarks/target/benchmarks.jar \\
     kindling.benchmarks.TrainingThroughput lenet 1 5 1000 100 1000
/usr/bin/python3 benchmarks/torch_bench.py torch.json
```

Reading the tables:
- **1T / 2T**: one or two threads: `Threads.set(n)` for Kindling, `Nd4jThreads.set(n)` (libnd4j and
  OpenBLAS pools) for ND4J, `torch.set_num_threads(n)` for PyTorch. EJML's `CommonOps_FDRM` is
  single-threaded; `EJML MT` (`CommonOps_MT_FDRM`) uses its fork-join pool on all cores.
- **GFLOP/s** = 2 · multiply-adds / time. A convolution's forward is N·C_out·H_out·W_out·C_in·k_h·k_w
  multiply-adds; forward + backward counts three times that (∂L/∂x and ∂L/∂W are each one more
  product of the same size).
- **Ratios "Kindling / peer"** are speed ratios (peer time / Kindling time): above 1 Kindling is faster.
- **% peak** is against the peak `FmaPeak` measured at the start of the same run (the faster of twelve
  register-only vector FMA chains and the GEMM micro-kernel's loop on L1-resident panels: the most a
  core does from Java), so a busy machine lowers both.
- The Java and PyTorch figures are measured minutes apart on a machine that may be shared: compare
  them only when the load average lines above are low."""

TEXT_GEMM = """`GemmBenchmark`, JMH (`-f 1 -wi 2 -i 3`, 1 s iterations; `--quick`: 1 and 1). Shapes are m×n×k with A
m×k and B k×n. The last three are the GEMMs `Conv2dKernels.forward` runs for one chunk of images:
C_out × (images·H_out·W_out) × (C_in·k_h·k_w). Columns: `naive` = `GemmNaive` (textbook loop, run
only on the small shapes), `plain` = `GemmPlain` (no Vector API), `SIMD` = `GemmSimd`, `EJML` =
`CommonOps_FDRM.mult`, `ND4J` = `Nd4j.gemm` into a preallocated C (OpenBLAS), `PyTorch` =
`torch.mm(a, b, out=c)` timed by `torch_bench.py` after the Java runs."""

TEXT_GEMM_ANALYSIS = """What stays true from the GEMM work (#2, #3), whatever the load:
- `GemmPlain` gets its speed from C2 vectorising its inner loop, which happens only when every array
  is indexed from 0 (6 → 21+ GFLOP/s on a quiet machine; see its javadoc).
- `GemmSimd`'s micro-kernel loop (6 rows × 2 vectors, 15 of 16 AVX2 registers) alone, with its panels
  in L1, is the `kernel` figure of `FmaPeak` above; a whole GEMM loses to it the packing (about 15% at
  256³–1024³, measured by switching packing off) and the panels streaming from L2 and L3 (the rest).
- Results are bit-identical for 1, 2 and 3 threads (tested); plain, SIMD and naive differ only by
  rounding (tested with a tolerance proportional to k).
- Threads help from 512³ up and on the wide network shapes, not on small products, where waking a
  pool thread costs about what the second core gains."""

TEXT_CONV = """`ConvBenchmark` (JMH, with `-prof gc`). Kindling is the kernel level (`Conv2dKernels`: im2col + `Gemm`, so the
SIMD path); forward + backward is `forward`, `backwardInput`, `backwardWeight` and `backwardBias` with a
fixed ∂L/∂y. `naive` is `ConvNaive.forward`, one thread. ND4J is `DynamicCustomOp` `conv2d` then
`conv2d_bp` (NCHW, weights converted once to ND4J's (k_h, k_w, C_in, C_out) layout, every output
preallocated). PyTorch is `F.conv2d` and `.backward(grad_y)` (oneDNN) in `torch_bench.py`."""

TEXT_CONV_ANALYSIS = """Kindling's convolution allocates its outputs on every call (its im2col buffers are per thread and
reused); ND4J's buffers are off-heap and its op writes into preallocated arrays, so its Java-heap
allocation per call is near zero and its GC share says nothing about its native memory traffic."""

POOLNORM_LAYERS = (("MaxPool", "max pool (32, 64, 28, 28) k3 s2 p1"),
                   ("AvgPool", "avg pool (256, 6, 28, 28) k2 s2"),
                   ("BatchNorm", "batch norm (32, 64, 28, 28), training"))

TEXT_POOLNORM = """`PoolNormBenchmark` (JMH, `-prof gc`): Kindling through its autograd ops (`Pooling.maxPool2d`,
`Pooling.avgPool2d`, `Normalization.batchNorm` in training mode), forward, and forward + `backward(gradY)`;
ND4J's `maxpool2d`, `avgpool2d` and, for batch norm, `mean` + `var` over (0, 2, 3) + `batchnorm`, and for
forward + backward the same followed by `maxpool2d_bp`, `avgpool2d_bp` and `batchnorm_bp` (ND4J's backward
ops take the input and ∂L/∂y; its max pooling finds each window's maximum again instead of keeping it).
Both compute the same values (checked on small inputs: max pooling identical, average pooling and
batch norm within 5·10⁻⁷). These layers move memory rather than compute, so the times matter next to
the convolutions around them, not as GFLOP/s."""

TEXT_TRAIN = """`TrainingThroughput` (Kindling, one JVM per row) and `torch_bench.py` (PyTorch, right after): whole SGD
steps (forward, cross-entropy, backward, `step`) on synthetic data (four batches of N(0, 1) images and
uniform labels, cycled), after a few warm-up steps. LeNet runs in `-Xmx512m`, ResNet.small() in
`-Xmx2g`, ResNet-18 in `-Xmx8g`. "Kindling / PyTorch" is the images/s ratio (above 1 Kindling is
faster). GC time is the change of the JVM's `GarbageCollectorMXBean` collection times over the timed
steps divided by their wall time; peak heap is the sum of the heap pools' peak use over the timed
steps, garbage included (how full the collector let the heap get), so it says little beyond staying
under -Xmx; the live heap is the used heap right after `System.gc()`."""

TEXT_TRAIN_ANALYSIS = """ResNet-18 at 96×96 runs only a few steps (one PyTorch step takes seconds), so its figures are the
least precise of the table."""

TEXT_TUNING = """## Tuning decisions in the kernels, and the figures behind them

The kernels' javadoc gives the reasons for each choice; these are the measurements that settled them,
taken on one day on a shared 2-core machine (AVX-512, JDK 17), so they show direction and size, not
figures to expect elsewhere.

| Kernel, choice | Measured |
|---|---|
| `GemmSimd.DEPTH` = 1024 (long k-blocks: fewer passes over the tile of C) | 1024³: 64 GFLOP/s with 256, 72 with 1024 |
| `GemmSimd.TILE_COLS` = 32·NR (wide tiles: fewer repacks of A) | 256 columns instead: 6% slower at 1024³ |
| `GemmSimd.IN_PLACE_B_ROWS` = 64 (few rows: read B in place, unpacked) | 16×300×150: 48 → 54 GFLOP/s; 64×784×576: 63 → 68; but 512×261×4608: 69 → 55 in place |
| `GemmSimd` micro-kernel without edge handling | with the edges inside, the JIT sometimes compiled a version 40% slower, depending on which shapes it saw first |
| `GemmSimdDot` for A·Bᵀ with m or n ≤ MR, or ≤ 4·MR with k ≥ 1024 | 6×25×784: 25 against 10 GFLOP/s; 16×150×3000: 38 against 24; 16×150×300: 27 against 34 (so not below k = 1024) |
| `GemmPlain`: the store kept out of the inner loop | overlapping store and loads leave the loop scalar, about 4× slower |
| `Conv2dKernels.backwardInput` as a convolution of ∂L/∂y by flipped filters (stride 1) | ResNet's 3×3 layer, 64 → 64: 46 → 36 ms |
| … but only from `MIN_CHANNELS_AS_CONVOLUTION` input channels | LeNet's conv2, 6 → 16: 3× slower than col2im |
| `Conv2dKernels.backwardWeight` computed transposed (col as GEMM's A) | ResNet's 3×3 layer, 64 → 64: 43 → 37 ms |
| `Im2Col`: `System.arraycopy` for the rows of a patch | 0.68 against 0.83 ns a value on LeNet's conv2 (rows of 10); 0.36 against 0.65 on 28-wide rows |
| `Im2Col`: a gather table for small output planes | row by row: 3 ns a value at 3×3, against about 0.4 on long rows |
| `PoolKernels` max pooling: one branchy loop | about 5 ns an element, spent on the mispredicted comparison; conditional-move selects and swapped loops were not faster |
"""

TEXT_NOT_MEASURED = """## Not measured

- ND4J's `linux-x86_64-onednn-avx512` build: this VM has no AVX-512, and the build is not in the
  offline repository; only the default `nd4j-native` linux-x86_64 (OpenBLAS) is compared.
- ND4J's pooling and batch-norm backward ops (`maxpool2d_bp`, `avgpool2d_bp`, `batchnorm_bp`), and
  pooling / batch norm in PyTorch.
- A training epoch over the real Fashion-MNIST files (the data loader is not timed), transposed GEMM
  operands, β ≠ 0, JDK 21 and 25, more than 2 threads."""


def main(results, out):
    charts = os.path.splitext(out)[0]
    report = Report(results, os.path.basename(charts))
    text = report.render()
    with open(out, "w") as f:
        f.write(text)
    os.makedirs(charts, exist_ok=True)
    for name, svg in report.charts.items():
        with open(os.path.join(charts, name), "w", encoding="utf-8") as f:
            f.write(svg)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
