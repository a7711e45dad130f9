#!/usr/bin/env python3
"""Writes docs/performance.md from the raw results of benchmarks/run.sh; the only source of that file.

Usage: python3 benchmarks/report.py benchmarks/target/results docs/performance.md

Outputs: the markdown file, and beside it a directory of the same name without ".md"
(docs/performance/) with SVG charts drawn from the same figures as the tables (svgchart.py, standard
library only), linked from the markdown next to their tables: gemm-1t.svg, gemm-2t.svg, conv.svg,
training.svg. Both are rewritten on every run.

Inputs (in the results directory): machine.txt (key=value), peers.json (PeerCheck), peak.json and
peak-jdk25.json (FmaPeak on each JDK), gemm.json / conv.json / poolnorm.json / elementwise.json / elementwise-inplace.json (JMH -rf
json), train.jsonl and train-jdk25.jsonl (TrainingThroughput, one JSON object a line), torch.json
(torch_bench.py); and, beside the output, examples.md, whose table of the CPU variants' accuracy the
goals quote. The prose that does not depend on the numbers lives in the TEXT_* strings below; every
number in the report and its charts is computed here from those files.
"""
import json
import os
import re
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
# the JMH result files run.sh writes, in the order of the report's sections
JMH_FILES = ["gemm", "conv", "poolnorm", "elementwise"]
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
    iterations = run.get("measurementIterations") or len(run["primaryMetric"]["rawData"][0])
    seconds = float(run["measurementTime"].split()[0]) * iterations
    if gc_time is None and alloc is not None:
        gc_time = 0.0                              # JMH omits gc.time when no collection happened
    share = None if gc_time is None else gc_time / 1000.0 / seconds
    return (None if alloc is None else alloc / 1048576.0), share


def quantile(ordered, q):
    """The q-quantile of sorted values, interpolated between the two nearest ranks (numpy's default,
    as TrainingThroughput and torch_bench.py compute theirs)."""
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def torch_conv_figure(torch_report, layer, threads, which):
    """One conv figure (forward_ms or forward_backward_ms) of a torch_bench.py report, or None."""
    return torch_report.get("threads", {}).get(threads, {}).get("conv", {}).get(layer, {}).get(which)


def jvm_steps(row):
    """A row's timed steps, and how many JVMs they came from when more than one."""
    jvms = row.get("jvms", 1)
    return "%d" % row["steps"] if jvms == 1 else "%d in %d JVMs" % (row["steps"], jvms)


def pool_steps(first, second):
    """One row for the step times of two JVMs run with the same model and thread count: the
    statistics of all their steps together, the GC share weighted by time, the first run's memory
    figures (the heap checks run in one JVM), and jvms = how many were pooled."""
    steps = first["step_ms"] + second["step_ms"]
    ordered = sorted(steps)
    total = sum(steps)
    pooled = dict(first)
    pooled.update({
        "step_ms": steps, "steps": len(steps), "jvms": first.get("jvms", 1) + 1,
        "warmup": min(first["warmup"], second["warmup"]),
        "ms_per_step": quantile(ordered, 0.5), "ms_min": ordered[0], "ms_q1": quantile(ordered, 0.25),
        "ms_q3": quantile(ordered, 0.75), "ms_max": ordered[-1], "ms_mean": total / len(steps),
        "images_per_s": first["batch"] * 1e3 / quantile(ordered, 0.5),
        "images_per_s_mean": first["batch"] * len(steps) * 1e3 / total,
        "gc_share": (first["gc_share"] * sum(first["step_ms"]) + second["gc_share"] * sum(second["step_ms"])) / total,
        "peak_heap_mb": max(first["peak_heap_mb"], second["peak_heap_mb"]),
    })
    return pooled


class Report:
    def __init__(self, results, chart_dir="performance", examples_md=None):
        self.dir = results
        self.chart_dir = chart_dir                 # the charts' directory, relative to the markdown file
        self.charts = {}                           # file name -> SVG text
        self.machine = dict(line.rstrip("\n").split("=", 1) for line in open(os.path.join(results, "machine.txt"))
                            if "=" in line)
        self.peers = self.json("peers.json")
        self.peak = self.json("peak.json")
        self.peak25 = self.json("peak-jdk25.json")
        self.jmh = {name: load_jmh(os.path.join(results, name + ".json")) for name in JMH_FILES}
        self.gemm = self.jmh["gemm"]
        self.conv = self.jmh["conv"]
        self.poolnorm = self.jmh["poolnorm"]
        self.torch = self.json("torch.json")
        # run.sh's paired rounds: (Kindling's JMH runs, PyTorch's figures) of each round, in order
        self.conv_rounds = []
        while os.path.exists(os.path.join(results, "conv-round-%d.json" % (len(self.conv_rounds) + 1))):
            number = len(self.conv_rounds) + 1
            self.conv_rounds.append((load_jmh(os.path.join(results, "conv-round-%d.json" % number)),
                                     self.json("torch-conv-round-%d.json" % number)))
        self.train = self.jsonl("train.jsonl")
        self.train25 = self.jsonl("train-jdk25.jsonl")
        self.train17_beside25 = self.jsonl("train-jdk17-beside-25.jsonl")
        self.accuracy = read_accuracy(examples_md)
        self.out = []

    def jsonl(self, name):
        """{(model, threads): row} from TrainingThroughput's JSON lines; empty when missing. Rows of
        the same model and thread count (one per JVM) are pooled: pool_steps."""
        rows, path = {}, os.path.join(self.dir, name)
        for line in open(path) if os.path.exists(path) else []:
            if line.strip().startswith("{"):
                row = json.loads(line)
                key = (row["model"], str(row["threads"]))
                rows[key] = pool_steps(rows[key], row) if key in rows else row
        return rows

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
        """The median time of one call in ms (JMH sample mode; the score, a mean, for older results)."""
        run = self.conv.get((method, layer, threads))
        return None if run is None else jmh_quartiles(run)[0]

    def torch_conv_ms(self, layer, threads, which):
        return torch_conv_figure(self.torch, layer, threads, which)

    def round_figures(self, method, layer, threads, torch_key):
        """[(Kindling's median ms, PyTorch's median ms)] of the paired rounds that measured both."""
        figures = []
        for kindling, torch_figures in self.conv_rounds:
            run = kindling.get((method, layer, threads))
            torch_ms = torch_conv_figure(torch_figures, layer, threads, torch_key)
            if run is not None and torch_ms is not None:
                figures.append((jmh_quartiles(run)[0], torch_ms))
        return figures

    def torch_train(self, model, threads):
        return self.torch.get("threads", {}).get(threads, {}).get("train", {}).get(model)

    def peak_1core(self):
        return self.peak.get("peak_gflops_1core")

    # ---- sections ------------------------------------------------------------------------------
    def header(self):
        m = self.machine
        loads = [(k[len("load_"):], v) for k, v in m.items() if k.startswith("load_")]
        busiest = max(float(v.split()[0]) for _, v in loads) if loads else 0.0
        duration = m.get("duration_s")
        self.p("# Performance", "",
               "What has been measured, on which machine, and how to measure it again. **This file is generated** "
               "by `benchmarks/run.sh` (through `benchmarks/report.py`); edit those, not this file.", "",
               "## Machine and software of this run", "",
               "| | |", "|---|---|",
               "| date, mode | %s, %s run%s, commit %s |" % (
                   m.get("date"), m.get("mode"),
                   "" if not duration else " of %.0f min" % (int(duration) / 60.0), m.get("commit")),
               "| CPU | %s, %s vCPUs (%s thread per core), %s MHz reported |" % (
                   m.get("cpu_model"), m.get("cpus"), m.get("threads_per_core"), m.get("cpu_mhz")),
               "| caches | %s |" % m.get("caches", "").replace(";", ", "),
               "| CPU flags (vector extensions) | %s |" % (m.get("flags") or "none of avx/avx2/fma/avx512"),
               "| vector width the JVM chose (`FloatVector.SPECIES_PREFERRED`) | %s |" % "; ".join(
                   "JDK %s: %s" % (jdk, width) for jdk, width in self.widths()),
               "| memory | %s |" % m.get("memory"),
               "| FMA peak, measured (`FmaPeak`) | %s |" % self.peak_cell(),
               "| JDK | %s |" % m.get("java"),
               "| second JDK (training steps only) | %s |" % (
                   m.get("java25") if m.get("java25") not in (None, "", "none") else "not run"),
               "| Maven | %s |" % m.get("maven"),
               "| peers | EJML 0.44.0; ND4J 1.0.0-M2.1 `nd4j-native` linux-x86_64 (OpenBLAS 0.3.19 inside); "
               "PyTorch %s (Debian python3-torch; CPU capability of its own kernels: %s), its BLAS: `%s` |" % (
                   m.get("torch"), self.torch.get("cpu_capability") or "not recorded", m.get("torch_blas")),
               "| load average (1, 5, 15 min) | %s |" % "; ".join("%s: %s" % (k, v) for k, v in loads), "")
        self.p(self.width_prose(), "")
        cpus = int(m.get("cpus") or 2)
        if busiest > cpus + 0.5:
            self.p("**The machine was shared during this run** (load average up to %.1f on %s vCPUs, where the "
                   "benchmarks' own two threads account for at most 2): other work ran beside the benchmarks, "
                   "so every absolute number below is low by an unknown and uneven amount, and single "
                   "iterations and steps are slowed more than others: read the medians and the spread beside "
                   "them, and rerun `benchmarks/run.sh` on a quiet machine before drawing conclusions."
                   % (busiest, m.get("cpus")), "")
            if m.get("sched_autogroup") == "1":
                self.p("Lowering the other work's priority does not help here: this kernel groups processes "
                       "by session (`kernel.sched_autogroup_enabled = 1`) and shares the cores between the "
                       "groups first, so `nice` ranks processes only within their own session, and a niced "
                       "build started from another terminal takes as much CPU as the benchmarks.%s" %
                       self.slower_on_two(), "")
        else:
            self.p("Nothing else ran during this run: the load average (at most %.1f on %s vCPUs) is the "
                   "benchmarks' own threads. This is a VM, though, and its host's other tenants can still take "
                   "time from it: the spread beside each median shows how much." % (busiest, m.get("cpus")), "")
        first = float(m.get("load_before", "0").split()[0])
        torch_load = float(m.get("load_after_kindling_training", m.get("load_after", "0")).split()[0])
        if abs(first - torch_load) > 1:
            self.p("The load changed during the run: %.1f when the Java benchmarks started, %.1f when PyTorch "
                   "started. Java-versus-PyTorch ratios are biased %s Kindling by that difference." % (
                       first, torch_load, "against" if first > torch_load else "in favour of"), "")
        if m.get("openblas_coretype"):
            self.p("OpenBLAS, the BLAS of PyTorch and of ND4J here, recognised this CPU as `%s`%s; the peers ran "
                   "with `OPENBLAS_CORETYPE=%s`, the nearest core it knows, so that their matrix products use "
                   "this CPU's vector units (with the generic kernels `torch.mm` ran about four times slower "
                   "on an AVX-512 machine)." % (
                       m.get("openblas_detected"),
                       " (its generic kernels, without AVX)" if m.get("openblas_detected") == "Prescott" else "",
                       m.get("openblas_coretype")), "")
        if m.get("torch_malloc"):
            self.p("PyTorch ran with `%s`. Without them glibc's malloc returns each freed block of a few MB "
                   "to the kernel and maps a fresh one on the next call, and the page faults dominated: "
                   "LeNet conv2's forward took 13 ms a call instead of 0.8 on one AVX-512 VM. These settings "
                   "(or jemalloc, tcmalloc) keep freed blocks for reuse, as a PyTorch user who measures "
                   "would; the figures here are PyTorch at its best." % m.get("torch_malloc"), "")
        if "openblas" not in m.get("torch_blas", ""):
            self.p("PyTorch's `torch.mm` goes through the system BLAS, which here is `%s`, the reference "
                   "(netlib) BLAS, not OpenBLAS: the goals' PyTorch GEMM figures assume `libopenblas0-pthread` "
                   "is installed. PyTorch's convolutions use oneDNN and do not depend on it." % m.get("torch_blas"),
                   "")

    def slower_on_two(self):
        """A sentence naming the training steps whose two-thread median was slower than the one-thread one."""
        slower = []
        for who, get in (("Kindling", lambda m, t: self.train.get((m, t))), ("PyTorch", self.torch_train)):
            for model in MODELS:
                one, two = step_stats(get(model, "1")), step_stats(get(model, "2"))
                if one and two and two["median"] > one["median"]:
                    slower.append("%s's %s step (median %s ms on two threads, %s on one)" % (
                        who, MODELS[model].split(",")[0], fmt_sig(two["median"]), fmt_sig(one["median"])))
        if not slower:
            return ""
        return (" Two threads suffer most, as each waits for the other at every parallel operation: in this run "
                "%s slower on two threads than on one." % (", ".join(slower) + (" was" if len(slower) == 1
                                                                                 else " were")))

    def widths(self):
        """[(JDK feature version, "512 bits, 16 float lanes")] from FmaPeak's and TrainingThroughput's output."""
        found = []
        for source in [self.peak, self.peak25] + list(self.train.values())[:1] + list(self.train25.values())[:1]:
            if source and source.get("lanes"):
                jdk = jdk_feature(source.get("jdk")) or self.main_jdk()
                width = "%s bits, %s float lanes" % (source.get("bits", 32 * int(source["lanes"])), source["lanes"])
                if jdk not in [j for j, _ in found]:
                    found.append((jdk, width))
        return found or [("?", "not recorded")]

    def main_jdk(self):
        """The feature version of the JDK that ran the benchmarks ("17"), from machine.txt's java line."""
        match = re.search(r"build (\d+)", self.machine.get("java", ""))
        return match.group(1) if match else "?"

    def peak_cell(self):
        def one(peak):
            top = peak.get("peak_gflops_1core")
            return "%s GFLOP/s per core, two cores %s (FMA chains %s, GemmSimd's micro-kernel loop in L1 %s)" % (
                fmt(top), fmt(None if top is None else 2 * top), fmt(peak.get("chains_gflops")),
                fmt(peak.get("kernel_gflops")))
        cells = ["JDK %s: %s" % (jdk_feature(p.get("jdk")) or self.main_jdk(), one(p))
                 for p in (self.peak, self.peak25) if p]
        return "; ".join(cells) or "—"

    def width_prose(self):
        """What the CPU offers and what the JVM used, from machine.txt's flags and the recorded widths."""
        flags = self.machine.get("flags", "").split()
        bits = sorted({int(w.split()[0]) for _, w in self.widths() if w[0].isdigit()})
        used = " and ".join("%d-bit" % b for b in bits) or "an unrecorded"
        if "avx512f" in flags:
            text = ("This CPU has AVX-512 (`avx512f`), and the JVM used %s vectors for "
                    "`FloatVector.SPECIES_PREFERRED`: every Vector API kernel below ran at that width." % used)
            if bits and max(bits) < 512:
                text += (" That is less than the CPU offers: the JVM limits the width on some CPUs or when "
                         "told to (`-XX:UseAVX`, `-XX:MaxVectorSize`).")
            text += (" Machines with AVX2 only (CI's, many laptops) run the same kernels with 256-bit vectors "
                     "(8 float lanes), half the peak per core, so their figures are lower and the ratios "
                     "against PyTorch and ND4J, which also choose their instruction set at run time, can differ.")
        elif "avx2" in flags:
            text = ("This CPU has AVX2 and FMA but no AVX-512, and the JVM used %s vectors: on a machine with "
                    "AVX-512 the same kernels run 512-bit vectors (16 float lanes), with twice the peak per core."
                    % used)
        else:
            text = "This CPU reports neither AVX2 nor AVX-512; the JVM used %s vectors." % used
        capability = self.torch.get("cpu_capability")
        if capability:
            text += (" PyTorch's own CPU kernels (elementwise, pooling, batch norm) dispatch to `%s` here; its "
                     "convolutions go through oneDNN, which picks its instruction set itself." % capability)
        return text

    def not_measured(self):
        flags = self.machine.get("flags", "").split()
        lines = ["## Not measured", "",
                 "- ND4J's `linux-x86_64-onednn-avx512` build: %s; only the default `nd4j-native` linux-x86_64 "
                 "(OpenBLAS) is compared." % ("it is not in the local Maven repository" if "avx512f" in flags
                                              else "this CPU has no AVX-512"),
                 "- Pooling and batch norm in PyTorch.",
                 "- A training epoch over the real Fashion-MNIST files (the data loader is not timed; the "
                 "examples' accuracy runs are in [examples.md](examples.md)), transposed GEMM operands, "
                 "β ≠ 0, JDK 21, more than 2 threads%s." % (
                     "" if self.train25 else ", a second JDK (none was found)")]
        return "\n".join(lines) + "\n"

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
            self.p("**%s**, median ms per call (GFLOP/s in brackets):" % which.capitalize(), "",
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
        if self.conv_rounds:
            rounds = len(self.conv_rounds)
            self.p("**Paired rounds**, which the goals use: %d rounds after the tables above, each timing Kindling's "
                   "layers (JMH as above, without `-prof gc`) and right after them PyTorch's, so that both "
                   "sides of a ratio meet the machine in the same state. Kindling ms / PyTorch ms → "
                   "PyTorch / Kindling in each round:" % rounds, "",
                   "| layer | what | threads | " + " | ".join("round %d" % (r + 1) for r in range(rounds))
                   + " | median ratio |", "|---|---|---:|" + "---:|" * (rounds + 1))
            for layer in CONV_LAYERS:
                for which, method, torch_key in (("forward", "kindlingForward", "forward_ms"),
                                                 ("forward + backward", "kindlingForwardBackward",
                                                  "forward_backward_ms")):
                    for t in ("1", "2"):
                        figures = self.round_figures(method, layer, t, torch_key)
                        if not figures:
                            continue
                        cells = ["%s / %s → %.2f×" % (fmt_sig(k), fmt_sig(p), p / k) for k, p in figures]
                        cells += ["—"] * (rounds - len(cells))
                        self.p("| %s | %s | %s | %s | %.2f× |" % (
                            CONV_NAMES[layer].split(",")[0], which, t, " | ".join(cells),
                            statistics.median(p / k for k, p in figures)))
            self.p("")
        lines = []
        for layer, shape in (("lenet2", "16x300x150"), ("resnet", "64x784x576"), ("alexnet1", "96x2916x121")):
            ms, gemm = self.conv_ms("kindlingForward", layer, "1"), self.gflops("kindlingSimd", shape, "1")
            if ms and gemm:
                conv = 2.0 * conv_macs(layer) / (ms * 1e6)
                lines.append("%s forward %.1f GFLOP/s against %.1f for the GEMM of the same shape (%s): %.0f%%"
                             % (layer, conv, gemm, shape.replace("x", "×"), 100 * conv / gemm))
        if lines:
            self.p("The forward against GEMM, one thread: " + "; ".join(lines) + ". In mode simd the "
                   "convolution is a direct kernel (`ConvSimd`, see kernels.md): no im2col matrix is "
                   "written, but the extra columns of its flat layout are computed and dropped "
                   "((W_q − W_out)/W_q of the work: 4 of 14 columns on LeNet's conv2, 1 of 29 on ResNet's "
                   "3×3 layer), and filter counts are rounded up to whole blocks (8 or 6 filters with "
                   "AVX-512's 32 registers, 4 or 3 with AVX2's 16).", "")

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

    ELEMENTWISE_OPS = (("Relu", "ReLU (128, 64, 28, 28)"), ("Sigmoid", "sigmoid (256, 6, 28, 28)"),
                       ("Add", "add (128, 64, 28, 28) + same"), ("Mul", "mul (128, 64, 28, 28) · same"),
                       ("BiasConv", "bias (128, 64, 28, 28) + (64, 1, 1)"), ("BiasFc", "bias (256, 120) + (120)"))

    # The in-place forms a ResNet step uses, each row (name, label, Kindling's method, ND4J's method) for one
    # column, forward ("fwd") or forward+backward ("fb"); ND4J's fwd+bwd of the residual tail has one row,
    # preallocated, which both of Kindling's forms are compared with.
    ELEMENTWISE_IN_PLACE = (
        ("fwd", "relu_ (128, 64, 28, 28), in place", "kindlingReluInPlaceForward", "nd4jReluInPlaceForward"),
        ("fwd", "add_ (128, 64, 28, 28) += same, in place", "kindlingAddInPlaceForward", "nd4jAddInPlaceForward"),
        ("fb", "relu(a + b) (128, 64, 28, 28), residual tail", "kindlingAddReluForwardBackward", "nd4jAddReluForwardBackward"),
        ("fb", "relu_(a + b) (128, 64, 28, 28), residual tail in place", "kindlingAddReluInPlaceForwardBackward",
         "nd4jAddReluForwardBackward"))

    def elementwise_ms(self, method, threads):
        """ms per call of ElementwiseBenchmark's method at a thread count: the median of its measured
        iterations over all forks (elementwise.json, and elementwise-inplace.json for the in-place
        forward rows run in several forks; read once)."""
        if not hasattr(self, "elementwise"):
            self.elementwise = load_jmh(os.path.join(self.dir, "elementwise.json"))
            self.elementwise.update(load_jmh(os.path.join(self.dir, "elementwise-inplace.json")))
        run = self.elementwise.get((method, threads))
        if run is None:
            return None
        raw = [v for fork in run["primaryMetric"].get("rawData", []) for v in fork]
        return statistics.median(raw) if raw else run["primaryMetric"]["score"]

    def elementwise_in_place_ratios(self):
        """ND4J's time / Kindling's for the in-place forms a ResNet step uses, 1 and 2 threads."""
        ratios = []
        for _, _, kindling, nd4j in self.ELEMENTWISE_IN_PLACE:
            if kindling == "kindlingAddReluForwardBackward":
                continue                                   # the out-of-place form, shown for comparison
            for t in ("1", "2"):
                k, n = self.elementwise_ms(kindling, t), self.elementwise_ms(nd4j, t)
                if k and n:
                    ratios.append(n / k)
        return ratios

    def elementwise_methods_not_shown(self):
        """ElementwiseBenchmark's methods in elementwise.json that no row of the table shows, sorted."""
        self.elementwise_ms("", "1")                      # reads elementwise.json once
        shown = set()
        for name, _ in self.ELEMENTWISE_OPS:
            for which in ("Forward", "ForwardBackward"):
                shown.update(("kindling%s%s" % (name, which), "nd4j%s%s" % (name, which)))
        for _, _, kindling, nd4j in self.ELEMENTWISE_IN_PLACE:
            shown.update((kindling, nd4j))
        return sorted({key[0] for key in self.elementwise} - shown)

    def elementwise_ratios(self):
        """ND4J's time / Kindling's for every op, forward and forward+backward, 1 and 2 threads (≥ 1: as fast)."""
        ratios = []
        for name, _ in self.ELEMENTWISE_OPS:
            for which in ("Forward", "ForwardBackward"):
                for t in ("1", "2"):
                    k = self.elementwise_ms("kindling%s%s" % (name, which), t)
                    n = self.elementwise_ms("nd4j%s%s" % (name, which), t)
                    if k and n:
                        ratios.append(n / k)
        return ratios

    def elementwise_section(self):
        self.p("## Elementwise ops of a training step", "",
               "`ElementwiseBenchmark`: the activations, sums, products and bias adds between the layers of a "
               "LeNet or ResNet step, through Kindling's ops (which allocate their outputs and, forward+backward, "
               "the gradients) and through ND4J's native ops writing into preallocated arrays (forward op, then "
               "its `_bp` op). These ops read and write memory and do a flop or two per value, so the time is "
               "the figure; a bias's backward is the sum of the output gradient over every dim but its own. "
               "ND4J's calls take turns over four sets of preallocated outputs: in a training step each layer "
               "writes its own activation and gradient, which are not in the cache when written, while one "
               "(128, 64, 28, 28) output (25.7 MB) written on every call stays in the last-level cache and "
               "runs about twice as fast on one thread as one that is not; Kindling's new output arrays are "
               "not in the cache either.", "",
               "| op | threads | Kindling fwd | ND4J fwd | ND4J / Kindling fwd | Kindling fwd+bwd | ND4J fwd+bwd "
               "| ND4J / Kindling fwd+bwd | Kindling fwd+bwd MB/call |",
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, label in self.ELEMENTWISE_OPS:
            for t in ("1", "2"):
                kf, nf = self.elementwise_ms("kindling%sForward" % name, t), self.elementwise_ms("nd4j%sForward" % name, t)
                kb = self.elementwise_ms("kindling%sForwardBackward" % name, t)
                nb = self.elementwise_ms("nd4j%sForwardBackward" % name, t)
                alloc = gc_figures(self.elementwise.get(("kindling%sForwardBackward" % name, t)))[0]
                self.p("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    label, t, fmt(kf, 3), fmt(nf, 3), ratio(nf, kf), fmt(kb, 3), fmt(nb, 3), ratio(nb, kb), fmt(alloc)))
        for column, label, kindling, nd4j in self.ELEMENTWISE_IN_PLACE:
            for t in ("1", "2"):
                k, n = self.elementwise_ms(kindling, t), self.elementwise_ms(nd4j, t)
                alloc = gc_figures(self.elementwise.get((kindling, t)))[0]
                cells = [fmt(k, 3), fmt(n, 3), ratio(n, k)]
                blank = ["", "", ""]
                fwd, fb = (cells, blank) if column == "fwd" else (blank, cells)
                self.p("| %s | %s | %s | %s | %s |" % (label, t, " | ".join(fwd), " | ".join(fb),
                                                      fmt(alloc) if column == "fb" else ""))
        self.p("", "Times in ms per call; a ratio above 1 means Kindling is faster. Kindling's figures include "
               "allocating (and the JVM's zeroing of) every output and gradient array, which ND4J's "
               "preallocated outputs do not: zeroing a (128, 64, 28, 28) array (25.7 MB) is a pass that "
               "writes the whole array, three quarters as long as a ReLU's own pass on one thread, and it runs on "
               "the allocating thread alone whatever the thread count. A copy pays it too: the JVM zeroes "
               "an array this large even when a copy fills it next. So a Kindling op costs about one such "
               "pass per array it returns on top of its own loop. A leaf's "
               "gradient that no other tensor shares becomes its `grad` without a copy, as in PyTorch; the "
               "gradient passed to `backward` is copied (add and the input of a bias), as ND4J writes it "
               "into its own gradient arrays. [kernels.md](kernels.md) takes each op apart, phase by phase.", "",
               "The in-place rows are the forms a ResNet step uses (`ReLU(inplace=true)` and the residual sum "
               "`out.add_(identity)` in `BasicBlock` and `Bottleneck`). `relu_` and `add_` forward run on tensors "
               "that do not require grad and write over their input, Kindling's and ND4J's alike: they read and "
               "write the same arrays on every call, so what the last-level cache holds of them stays there, "
               "and they time an op on an array that was just used, not at the memory speed of the "
               "out-of-place rows; compare them with each other, not with the rows above. The residual tail "
               "`relu(a + b)` forward+backward allocates new arrays on every call (the sum, and out of place "
               "relu's output too); ND4J's one row for it writes into preallocated arrays and is the "
               "comparison for both.", "")
        unknown = self.elementwise_methods_not_shown()
        if unknown:
            self.p("elementwise.json also has %s, which this table does not know how to show; report.py's "
                   "`ELEMENTWISE_OPS` or `ELEMENTWISE_IN_PLACE` should name %s." % (
                       ", ".join("`%s`" % m for m in unknown), "it" if len(unknown) == 1 else "them"), "")

    def training_section(self):
        self.p("## End to end: training steps", "", TEXT_TRAIN, "",
               "| model | threads | Kindling ms/step | PyTorch ms/step | Kindling / PyTorch | Kindling images/s "
               "| PyTorch images/s | GC time | peak heap / -Xmx (MB) | steps timed |",
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for model in MODELS:
            for threads in ("1", "2"):
                k, t = self.train.get((model, threads)), self.torch_train(model, threads)
                self.p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    MODELS[model], threads, step_cell(step_stats(k)), step_cell(step_stats(t)),
                    speed_ratio(k, t), fmt(k and k["images_per_s"], 0), fmt(t and t["images_per_s"], 0),
                    fmt(k and 100 * k["gc_share"], 1, "%"),
                    "—" if not k else "%.0f / %.0f" % (k["peak_heap_mb"], k["max_heap_mb"]),
                    "%s (PyTorch %s)" % (jvm_steps(k) if k else "—", t["steps"] if t else "—")))
        groups = [(model, t) for model in MODELS for t in ("1", "2")]
        kindling = [self.train.get(g) for g in groups]
        torch = [self.torch_train(*g) for g in groups]
        self.p("", "Step times: **median** [first–third quartile] (fastest–slowest step), in ms. Images/s and "
               "the ratio are from the medians.", "")
        self.chart("training.svg", "Training throughput",
                   ["%s\n%s thread%s" % (MODELS[model].split(",")[0], t, "s" if t != "1" else "")
                    for model, t in groups], ["Kindling", "PyTorch"],
                   [[r and r["images_per_s"] for r in kindling], [r and r["images_per_s"] for r in torch]],
                   "images/s", subtitle=self.subtitle("whole SGD steps, synthetic data, medians; higher is better"),
                   log=True, colours=[BLUE, VERMILLION])
        lenet = self.train.get(("lenet", "1"))
        if lenet and lenet.get("heap_after_gc_mb"):
            checks = lenet["heap_after_gc_mb"]
            self.p("", "**Memory.** LeNet trained in `-Xmx%.0fm`. Used heap right after `System.gc()`: %s." % (
                lenet["max_heap_mb"], ", ".join("%s MB at step %s" % (v, k) for k, v in checks.items())))
        self.p("", TEXT_TRAIN_ANALYSIS, "")

    def jdk25_section(self):
        self.p("## JDK 17 and JDK 25", "")
        if not self.train25:
            self.p("Not run: `run.sh` found no second JDK (set `JAVA25` to its `bin/java`).", "")
            return
        self.p(TEXT_JDK25, "",
               "| model | threads | JDK 17 ms/step | JDK 25 ms/step | JDK 25 / JDK 17 | JDK 25 / PyTorch | GC time "
               "JDK 17, 25 | steps timed (17, 25) |",
               "|---|---:|---:|---:|---:|---:|---:|---:|")
        for (model, threads), row in sorted(self.train25.items(), key=lambda kv: (list(MODELS).index(kv[0][0]),
                                                                                  kv[0][1])):
            base = self.jdk17_beside25(model, threads)
            self.p("| %s | %s | %s | %s | %s | %s | %s, %s | %s, %s |" % (
                MODELS[model], threads, step_cell(step_stats(base)), step_cell(step_stats(row)),
                speed_ratio(row, base), speed_ratio(row, self.torch_train(model, threads)),
                fmt(base and 100 * base["gc_share"], 1, "%"), fmt(100 * row["gc_share"], 1, "%"),
                base["steps"] if base else "—", row["steps"]))
        self.p("", "Ratios are speed ratios of the medians (above 1 the first is faster).", "", self.jdk25_prose(), "")

    def jdk17_beside25(self, model, threads):
        """The JDK 17 row run right before JDK 25's (run.sh), or the main JDK 17 row for older results."""
        return self.train17_beside25.get((model, threads)) or self.train.get((model, threads))

    def jdk25_prose(self):
        """What changed between the JDKs in this run, in words derived from the figures."""
        widths = dict(self.widths())
        same = widths.get("17") == widths.get("25")
        text = ("Both JDKs run the same jar (compiled for Java 17) with the Vector API still an incubator module "
                "(`--add-modules jdk.incubator.vector`) and the same default collector (G1); ")
        if "25" in widths and "17" in widths:
            text += ("both chose %s for `SPECIES_PREFERRED`, so the kernels run the same vector code and what "
                     "differs is how the JIT compiler (C2) of each compiles it and the code around it"
                     % widths["17"] if same else
                     "JDK 17 chose %s, JDK 25 %s, so the kernels ran at different widths" % (widths["17"],
                                                                                        widths["25"]))
        else:
            text += "the vector width of JDK 25 was not recorded"
        pairs = {key: (self.jdk17_beside25(*key), row) for key, row in self.train25.items() if self.jdk17_beside25(*key)}
        ratios = [step_stats(a)["median"] / step_stats(b)["median"] for a, b in pairs.values()]
        if ratios:
            apart = ["%s %sT" % (MODELS[k[0]].split(",")[0], k[1]) for k, (base, row) in pairs.items()
                     if not ranges_overlap(step_stats(base), step_stats(row))]
            text += ". JDK 25's steps ran at %s JDK 17's speed (medians); " % span(ratios, "×", 2)
            text += ("the quartile ranges of the two JDKs' steps overlap everywhere, so this run shows no "
                     "difference between them beyond its noise" if not apart else
                     "the quartile ranges do not overlap on %s, a difference beyond the noise of the steps"
                     % ", ".join(apart))
        p17, p25 = self.peak.get("peak_gflops_1core"), self.peak25.get("peak_gflops_1core")
        if p17 and p25:
            text += ("; `FmaPeak`'s register-only peak was %.1f GFLOP/s on JDK 17 and %.1f on JDK 25 (one core, "
                     "best of its trials)" % (p17, p25))
        return text + "."

    def goals(self):
        """The goals of this stage, one self-contained entry each (heading, figures, verdict)."""
        self.p("## The performance goals, and where each stands in this run", "",
               "Ratios are speeds measured side by side in this run (peer time / Kindling time: at 1 or above "
               "Kindling is as fast or faster). The convolution figures are medians of single calls (JMH in "
               "sample mode); pooling, batch norm and the elementwise ops the median of the measurement "
               "iterations (the in-place forward rows over three JVM forks) and GEMM their mean (JMH's "
               "score), each iteration the mean of its calls, with the range the fastest and slowest "
               "iteration give; PyTorch's and the training steps are medians.", "")

        # conv2d forward + backward against PyTorch, three layers, one and two threads
        self.conv_goal("forward + backward", "kindlingForwardBackward", "forward_backward_ms")

        # conv2d forward alone against PyTorch
        self.conv_goal("forward alone", "kindlingForward", "forward_ms")

        # Pooling, batch norm and the elementwise ops of a training step against ND4J (forward and
        # backward): their entries follow, written beside the sections that measure them.
        self.poolnorm_goal()
        elementwise = self.elementwise_ratios()
        self.p("- **Elementwise ops of a training step at least as fast as ND4J, forward and backward, 1 and 2 "
               "threads** (ReLU, sigmoid, add, mul, conv and Linear bias; ND4J's time / Kindling's): %s. "
               "Measured %s." % (verdict(elementwise and min(elementwise) >= 1), span(elementwise, "×", 2)))
        in_place = self.elementwise_in_place_ratios()
        self.p("- **The in-place forms a ResNet step uses, at least as fast as ND4J, 1 and 2 threads** (`relu_` and "
               "`add_` forward, `relu_(a + b)` forward+backward; ND4J's time / Kindling's): %s. Measured %s. The "
               "forward rows reuse their arrays on every call (the cache keeps part of them), for both "
               "libraries; they are not comparable with the out-of-place figures above." % (
                   verdict(in_place and min(in_place) >= 1), span(in_place, "×", 2)))

        # d2l LeNet training step against PyTorch
        self.step_goal("lenet", 1.0, "d2l LeNet training step ≥ 1.0× PyTorch")

        # ResNet.small() and d2l ResNet-18 training steps against PyTorch
        self.step_goal("resnet-small", 0.8, "ResNet.small() training step ≥ 0.8× PyTorch")
        self.step_goal("resnet18", 0.8, "d2l ResNet-18 training step ≥ 0.8× PyTorch")

        # Accuracy of the CPU variants: measured by the examples' own runs, documented in examples.md
        rows = self.accuracy
        self.p("- **AlexNet, VGG and ResNet CPU variants reach the book's accuracy on the full Fashion-MNIST "
               "with their default options, or docs/examples.md says by how much they miss and why**: "
               "**not measured in this run** (a training run of minutes to hours per example, on the full "
               "data set). %s" % (
                   "[examples.md](examples.md#the-cpu-variants-against-the-book) documents the miss: %s." % "; ".join(
                       "%s %s against the book's %s (%s an epoch on 2 cores)" % (
                           r.get("example", "?").strip("`"), r.get("test acc", "?"), r.get("the book's", "?"),
                           r.get("seconds per epoch, 2 cores", "?") + " s")
                       for r in rows) if rows else
                   "[examples.md](examples.md) has no table of the CPU variants' accuracy."))

        # Memory and GC: LeNet in -Xmx512m, flat heap, GC under 5 %
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
        else:
            self.p("- **Memory: LeNet trains in -Xmx512m, flat heap, GC under 5 %**: **not measured in this run**.")

        # The training-step comparison on JDK 25
        # Against the JDK 17 row run right before each JDK 25 row, as the JDK 25 section compares them.
        pairs = [(key, self.jdk17_beside25(*key), row) for key, row in self.train25.items() if self.jdk17_beside25(*key)]
        self.p("- **The training-step comparison also runs on JDK 25, and the report says what changes**: %s%s" % (
            "**done**: " if pairs else "**not measured in this run** (no second JDK was found).",
            "" if not pairs else "JDK 25 / JDK 17 speed %s (see [JDK 17 and JDK 25](#jdk-17-and-jdk-25))." % (
                ", ".join("%s %sT %s" % (MODELS[key[0]].split(",")[0], key[1], speed_ratio(row, base))
                          for key, base, row in pairs))))

    def conv_goal(self, which, method, torch_key):
        """One goal line: a conv2d figure ≥ 0.8× PyTorch on every benchmark layer at 1 and 2 threads; the
        median of the paired rounds' ratios when the run has them, else the tables' figures."""
        parts, worst, missing = [], None, 0
        for layer in CONV_LAYERS:
            cells = []
            for t in ("1", "2"):
                figures = self.round_figures(method, layer, t, torch_key)
                if figures:
                    ratios = [p / k for k, p in figures]
                    r = statistics.median(ratios)
                    worst = r if worst is None else min(worst, r)
                    cells.append("%sT %.2f× (%s)" % (t, r, ", ".join("%.2f" % x for x in ratios)))
                    continue
                run = self.conv.get((method, layer, t))
                torch_ms = self.torch_conv_ms(layer, t, torch_key)
                if run is None or torch_ms is None:
                    missing += 1
                    cells.append("%sT —" % t)
                    continue
                median, q1, q3 = jmh_quartiles(run)
                r = torch_ms / median
                worst = r if worst is None else min(worst, r)
                cells.append("%sT %.2f× (%.2f–%.2f)" % (t, r, torch_ms / q3, torch_ms / q1))
            parts.append("%s %s" % (CONV_NAMES[layer].split(",")[0], ", ".join(cells)))
        ok = None if worst is None else (worst >= 0.8 and missing == 0)
        how = ("" if not self.conv_rounds else
               " Each figure is the median of the ratios of the %d paired rounds (in brackets, round by round; "
               "see the convolution section)." % len(self.conv_rounds))
        self.p("- **conv2d %s ≥ 0.8× PyTorch on the three benchmark layers, medians, 1 and 2 threads**: %s. %s%s.%s" % (
            which, verdict(ok), "; ".join(parts),
            "" if not missing or worst is None else " (%d of 6 figures missing)" % missing, how))

    def step_goal(self, model, goal, title):
        """One goal line: a training step's speed against PyTorch's, medians at 1 and 2 threads."""
        parts, ratios = [], []
        for t in ("1", "2"):
            k, p = step_stats(self.train.get((model, t))), step_stats(self.torch_train(model, t))
            if k and p:
                ratios.append(p["median"] / k["median"])
                parts.append("%sT %.2f× (Kindling %s against PyTorch %s ms, %d and %d steps)" % (
                    t, ratios[-1], step_cell(k), step_cell(p), k["n"], p["n"]))
            else:
                parts.append("%sT not measured" % t)
        self.p("- **%s, medians, 1 and 2 threads**: %s. %s." % (
            title, verdict(None if not ratios else len(ratios) == 2 and min(ratios) >= goal), "; ".join(parts)))

    def earlier_goals(self):
        """The goals of the matrix-product stage that still hold, kept apart from this stage's."""
        self.p("", "### Earlier goals: the matrix product and the convolution against ND4J", "")
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
        vs_nd4j = []
        for layer in CONV_LAYERS:
            for t in ("1", "2"):
                kms = self.conv_ms("kindlingForwardBackward", layer, t)
                nms = self.conv_ms("nd4jForwardBackward", layer, t)
                if kms and nms:
                    vs_nd4j.append(nms / kms)
        self.p("- **conv2d forward+backward ≥ 4× ND4J's default build**: %s. Measured %s." % (
            verdict(vs_nd4j and min(vs_nd4j) >= 4), span(vs_nd4j, "×", 2)))
        small = [self.gflops("kindlingSimd", s, "2") / self.gflops("kindlingSimd", s, "1")
                 for s in ("64x64x64", "128x128x128", "256x256x256")
                 if self.gflops("kindlingSimd", s, "2") and self.gflops("kindlingSimd", s, "1")]
        self.p("- **Small products stay on one thread where threads would slow them** (SIMD 2T / 1T at 64³–256³ "
               "not below 0.9): %s. Measured %s." % (verdict(small and min(small) >= 0.9), span(small, "×", 2)))
        self.p("- **Readable kernels**: the SIMD GEMM's javadoc explains packing, register blocking, tails "
               "and threading, the naive kernels stay beside the fast ones and are tested against them "
               "(not a measurement; see [kernels.md](kernels.md)).", "")

    def jmh_spread_section(self):
        """Every JMH figure of the run with its error and the range of its iterations."""
        self.p("## Every JMH figure with its spread", "", TEXT_JMH_SPREAD, "",
               "| benchmark | parameters | score ± error | fastest–slowest iteration | unit |",
               "|---|---|---:|---:|---|")
        for name, runs in self.jmh.items():
            for key, run in sorted(runs.items(), key=lambda kv: tuple(str(x) for x in kv[0])):
                metric = run["primaryMetric"]
                mean, low, high = jmh_spread(run)
                params = ", ".join("%s=%s" % kv for kv in sorted(run.get("params", {}).items()))
                error = metric.get("scoreError")
                self.p("| %s.%s | %s | %s | %s | %s |" % (
                    run["benchmark"].rsplit(".", 2)[-2], key[0], params or "—",
                    fmt_sig(mean) + ("" if not isinstance(error, (int, float)) or error != error
                                     else " ± " + fmt_sig(error)),
                    "%s–%s" % (fmt_sig(low), fmt_sig(high)), metric.get("scoreUnit", "")))
        self.p("")

    def render(self):
        self.header()
        self.how_to()
        self.goals()
        self.earlier_goals()
        self.gemm_section()
        self.conv_section()
        self.poolnorm_section()
        self.elementwise_section()
        self.training_section()
        self.jdk25_section()
        self.p(TEXT_TUNING)
        self.jmh_spread_section()
        self.p(self.not_measured())
        return "\n".join(self.out).rstrip() + "\n"


def jdk_feature(version):
    """"25" from "25.0.3+9-LTS", "17" from "17.0.15+6-Debian-1deb12u1"; None when unknown."""
    return None if not version else str(version).split(".")[0].split("+")[0].split("-")[0]


def step_stats(row):
    """{median, q1, q3, min, max, n} in ms of a training row, Kindling's (TrainingThroughput) or
    PyTorch's (torch_bench.py); the spread is None for results written before steps were timed one by one."""
    if not row:
        return None
    if "stats" in row:
        s = row["stats"]
        return {"median": s["median"], "q1": s["q1"], "q3": s["q3"], "min": s["min"], "max": s["max"], "n": s["n"]}
    return {"median": row["ms_per_step"], "q1": row.get("ms_q1"), "q3": row.get("ms_q3"), "min": row.get("ms_min"),
            "max": row.get("ms_max"), "n": row.get("steps")}


def step_cell(s):
    """"**42.6** [41.1–50.7] (39.1–86.7)": median [quartiles] (fastest–slowest), ms."""
    if not s:
        return "—"
    cell = "**%s**" % fmt_sig(s["median"])
    if s.get("q1") is not None:
        cell += " [%s–%s] (%s–%s)" % (fmt_sig(s["q1"]), fmt_sig(s["q3"]), fmt_sig(s["min"]), fmt_sig(s["max"]))
    return cell


def speed_ratio(row, other):
    """Speed of row against other from their median step times ("1.25×": row is 1.25 times as fast)."""
    a, b = step_stats(row), step_stats(other)
    return "—" if not a or not b else "%.2f×" % (b["median"] / a["median"])


def ranges_overlap(a, b):
    """Whether the quartile ranges of two step_stats overlap (True when a spread is unknown)."""
    if a.get("q1") is None or b.get("q1") is None:
        return True
    return a["q1"] <= b["q3"] and b["q1"] <= a["q3"]


def jmh_spread(run):
    """(score, fastest, slowest) of a JMH run: its score and the lowest and highest of its measurement
    iterations (rawData, one list per fork; in sample mode the mean of each iteration's samples); for a
    time per operation, fastest is the lowest."""
    metric = run["primaryMetric"]
    raw = [v for fork in metric.get("rawData", []) for v in fork]
    if not raw and "rawDataHistogram" in metric:
        raw = [sum(v * c for v, c in it) / sum(c for _, c in it)
               for fork in metric["rawDataHistogram"] for it in fork if it]
    score = metric["score"]
    return score, (min(raw) if raw else score), (max(raw) if raw else score)


def jmh_quartiles(run):
    """(median, q1, q3) of the per-call times of a JMH sample-mode run, from its histogram of every
    call (quartiles interpolated as torch_bench.py does); for a run in another mode, (score, fastest
    iteration, slowest iteration), which is all it has."""
    metric = run["primaryMetric"]
    histogram = metric.get("rawDataHistogram")
    if not histogram:
        return jmh_spread(run)
    counts = {}
    for fork in histogram:
        for iteration in fork:
            for value, count in iteration:
                counts[value] = counts.get(value, 0) + count
    ordered = [v for v in sorted(counts) for _ in range(counts[v])]
    return quantile(ordered, 0.5), quantile(ordered, 0.25), quantile(ordered, 0.75)


def fmt_sig(value):
    """A number with about three significant digits: 0.0123, 1.23, 12.3, 123, 1234."""
    if value is None or isinstance(value, str):
        return "—"
    magnitude = abs(value)
    digits = 0 if magnitude >= 100 else 1 if magnitude >= 10 else 2 if magnitude >= 1 else 3 if magnitude >= 0.1 else 4
    return "%.*f" % (digits, value)


def read_accuracy(examples_md):
    """Rows of the table under "## The CPU variants against the book" in docs/examples.md, as dicts by
    column header; [] when the file or the table is missing."""
    if not examples_md or not os.path.exists(examples_md):
        return []
    lines = open(examples_md, encoding="utf-8").read().splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.startswith("## The CPU variants against the book"))
    except StopIteration:
        return []
    table = []
    for line in lines[start + 1:]:
        if line.startswith("## "):
            break
        if line.startswith("|"):
            table.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif table:
            break
    if len(table) < 3:
        return []
    return [dict(zip(table[0], row)) for row in table[2:]]


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
benchmarks/run.sh            # full run, about 50 minutes on 2 cores
benchmarks/run.sh --quick    # smoke run, about 12 minutes: 3 GEMM shapes, 1 iteration, few training steps
JAVA25=/path/to/jdk-25/bin/java benchmarks/run.sh    # the second JDK, if not CI's Temurin 25
```

Raw results stay in `benchmarks/target/results/` (JMH JSON, the harness's JSON lines, `torch.json`,
`machine.txt`). Single pieces by hand:

```
mvn -o -Pbenchmarks -pl benchmarks -am package -DskipTests -Dquick
java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar ConvBenchmark -f 1 -wi 2 -i 3 -prof gc
java --add-modules jdk.incubator.vector -Xmx512m -cp benchmarks/target/benchmarks.jar \\
     kindling.benchmarks.TrainingThroughput lenet 1 10 1000 100 1000
MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=1073741824 /usr/bin/python3 benchmarks/torch_bench.py torch.json
```

Layer by layer (not part of this run): `ConvLayerTable` times forward, ∂L/∂x and ∂L/∂W of every
distinct convolution layer of the ResNet.small() and ResNet-18 steps, and `benchmarks/conv_layers.py`
the same layers in PyTorch, to show which layers a step loses most on:

```
java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \\
     kindling.benchmarks.ConvLayerTable 1 20 all
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=1073741824 /usr/bin/python3 benchmarks/conv_layers.py 1 20 all
```

Before and after a change to a convolution kernel: `ConvSideBySide` loads two builds of the kernels
(say a jar of the old version and `core/target/classes`), each with a class loader of its own, and
times one layer's forward, ∂L/∂x or ∂L/∂W with the two taking turns in rounds in one JVM, so that
the machine's drift falls on both alike; it prints each round's ratio and their median (here 1 thread,
8 rounds, ∂L/∂W of the ResNet 3×3 layer below: batch 32, 64 → 64 channels, 28×28, 3×3, stride 1,
padding 1):

```
java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
     kindling.benchmarks.ConvSideBySide old.jar core/target/classes 1 8 dw 32 64 64 28 3 1 1
```

Reading the tables:
- **1T / 2T**: one or two threads: `Threads.set(n)` for Kindling, `Nd4jThreads.set(n)` (libnd4j and
  OpenBLAS pools) for ND4J, `torch.set_num_threads(n)` for PyTorch. EJML's `CommonOps_FDRM` is
  single-threaded; `EJML MT` (`CommonOps_MT_FDRM`) uses its fork-join pool on all cores.
- **Medians and spread.** A training step, Kindling's or PyTorch's, is timed on its own, and the
  tables give the median step with its quartiles and its fastest and slowest step; PyTorch's GEMM and
  convolution figures are medians of single calls too. JMH gives the mean of its measurement
  iterations; [the last table](#every-jmh-figure-with-its-spread) adds its error and the range of the
  iterations. On a shared machine a few steps take several times the usual time (the other work took
  the core): a mean over few steps follows them, the median does not.
- **GFLOP/s** = 2 · multiply-adds / time. A convolution's forward is N·C_out·H_out·W_out·C_in·k_h·k_w
  multiply-adds; forward + backward counts three times that (∂L/∂x and ∂L/∂W are each one more
  product of the same size).
- **Ratios "Kindling / peer"** are speed ratios (peer time / Kindling time): above 1 Kindling is faster.
- **% peak** is against the peak `FmaPeak` measured at the start of the same run (the faster of twelve
  register-only vector FMA chains and the GEMM micro-kernel's loop on L1-resident panels: the most a
  core does from Java), so a busy machine lowers both.
- The Java and PyTorch figures are measured minutes apart on a machine that may be shared: compare
  them only when the load average lines above are low. The convolution goals are the exception: their
  paired rounds time PyTorch right after Kindling, round after round."""

TEXT_GEMM = """`GemmBenchmark`, JMH (`-f 1 -wi 2 -i 3`, 1 s iterations; `--quick`: 1 and 1). Shapes are m×n×k with A
m×k and B k×n. The last three are the GEMMs `Conv2dKernels.forward` runs for one chunk of images:
C_out × (images·H_out·W_out) × (C_in·k_h·k_w). Columns: `naive` = `GemmNaive` (textbook loop, run
only on the small shapes), `plain` = `GemmPlain` (no Vector API), `SIMD` = `GemmSimd`, `EJML` =
`CommonOps_FDRM.mult`, `ND4J` = `Nd4j.gemm` into a preallocated C (OpenBLAS), `PyTorch` =
`torch.mm(a, b, out=c)` timed by `torch_bench.py` after the Java runs."""

TEXT_GEMM_ANALYSIS = """What stays true from the GEMM work, whatever the load:
- `GemmPlain` gets its speed from C2 vectorising its inner loop, which happens only when every array
  is indexed from 0 (6 → 21+ GFLOP/s on a quiet machine; see its javadoc).
- `GemmSimd`'s micro-kernel loop (12 rows × 2 vectors in 27 of AVX-512's 32 registers, 6 × 2 in 15 of
  AVX2's 16) alone, with its panels in L1, is the `kernel` figure of `FmaPeak` above. Timed in one JVM,
  alternating with it: the same loop nest on packed panels in L2 and L3 (no packing, no C) ran 0–8%
  below it, whole products 19–26% below it (256³, 1024³, 128×4608×512). So the loss is packing and
  the pass over C, not the panels streaming from L2 and L3: packing A into panels alone is about a
  tenth of a 256³ product (measured by packing it only once).
- Results are bit-identical for 1, 2 and 3 threads (tested); plain, SIMD and naive differ only by
  rounding (tested with a tolerance proportional to k).
- Below 2¹⁹ multiply-adds (about 80³; of the shapes above only 64³) `GemmSimd` stays on the calling
  thread, where handing work to a second thread costs about what the second core gains, so its 2-thread
  figure there is its 1-thread one again, and a difference between them is the machine's noise."""

TEXT_CONV = """`ConvBenchmark` (JMH in sample mode, which times every call, with `-prof gc`; five 1 s warm-up iterations, since the two-thread layers are still being compiled after two, then three measured; `--quick`: 1 and 1). Every figure in the tables and goals is the median time of one call, as `torch_bench.py` reports PyTorch's, and the spread in the goals is the quartiles of Kindling's calls; a mean would also count the occasional call that a garbage collection interrupts, whose cost the `-prof gc` table below gives on its own. Kindling is the kernel level (`Conv2dKernels`, which in mode simd
runs `ConvSimd`, a direct convolution with the Vector API; ∂L/∂x of the strided AlexNet layer is
GEMM + col2im); forward + backward is `forward`, `backwardInput`, `backwardWeight` and `backwardBias` with a
fixed ∂L/∂y. `naive` is `ConvNaive.forward`, one thread. ND4J is `DynamicCustomOp` `conv2d` then
`conv2d_bp` (NCHW, weights converted once to ND4J's (k_h, k_w, C_in, C_out) layout, every output
preallocated). PyTorch is `F.conv2d` and `.backward(grad_y)` (oneDNN) in `torch_bench.py`."""

TEXT_CONV_ANALYSIS = """Kindling's convolution allocates its outputs on every call (its padded-image buffers are per thread and
reused); ND4J's buffers are off-heap and its op writes into preallocated arrays, so its Java-heap
allocation per call is near zero and its GC share says nothing about its native memory traffic."""

POOLNORM_LAYERS = (("MaxPool", "max pool (32, 64, 28, 28) k3 s2 p1"),
                   ("AvgPool", "avg pool (256, 6, 28, 28) k2 s2"),
                   ("GlobalAvgPool", "global avg pool (128, 128, 2, 2) → 1 × 1"),
                   ("BatchNorm", "batch norm (32, 64, 28, 28), training"))

TEXT_POOLNORM = """`PoolNormBenchmark` (JMH, `-prof gc`): Kindling through its autograd ops (`Pooling.maxPool2d`,
`Pooling.avgPool2d`, `Pooling.adaptiveAvgPool2d` to 1 × 1 as ResNet's head, `Normalization.batchNorm` in
training mode), forward, and forward + `backward(gradY)`; ND4J's `maxpool2d`, `avgpool2d` (for the global
pool with a 2 × 2 window) and, for batch norm, `mean` + `var` over (0, 2, 3) + `batchnorm`, and for
forward + backward the same followed by `maxpool2d_bp`, `avgpool2d_bp` and `batchnorm_bp` (ND4J's backward
ops take the input and ∂L/∂y; its max pooling finds each window's maximum again instead of keeping it).
Both compute the same values (checked on small inputs: max pooling identical, average pooling and
batch norm within 5·10⁻⁷). These layers move memory rather than compute, so the times matter next to
the convolutions around them, not as GFLOP/s."""

TEXT_TRAIN = """`TrainingThroughput` (Kindling, one JVM per row; ResNet-18's steps pooled from two JVMs, since its median moved by up to a fifth from one JVM to the next) and `torch_bench.py` (PyTorch, right after): whole SGD
steps (forward, cross-entropy, backward, `step`) on synthetic data (four batches of N(0, 1) images and
uniform labels, cycled), each step timed on its own after a warm-up of at least twenty seconds, the same for both
(for its first seconds the JVM is still compiling the layers' methods with C2, its optimising compiler, and the steps
are slower: ResNet.small() at two threads took 55–100 ms a step then and 50–53 ms after; a training run spends nearly
all its steps past that). LeNet runs in
`-Xmx512m`, ResNet.small() in `-Xmx2g`, ResNet-18 in `-Xmx8g`. "Kindling / PyTorch" is the ratio of
the median step times (above 1 Kindling is faster). GC time is the change of the JVM's `GarbageCollectorMXBean` collection times over the timed
steps divided by the sum of their times; peak heap is the sum of the heap pools' peak use over the timed
steps, garbage included (how full the collector let the heap get), so it says little beyond staying
under -Xmx; the live heap is the used heap right after `System.gc()`."""

TEXT_TRAIN_ANALYSIS = """ResNet-18 at 96×96 runs fewer steps than the others (one step takes seconds), so its medians are
the least precise of the table."""

TEXT_JDK25 = """The Kindling training steps again, on the second JDK (CI runs the tests on both), in the same way:
LeNet in `-Xmx512m`, ResNet.small() in `-Xmx2g`. Each JDK 25 row ran right after a JDK 17 row of the
same model, steps and heap, and the JDK 17 column is that row, not the one in the table above: on a
shared machine the speed drifts over the minutes between them. Step times: **median** [quartiles]
(fastest–slowest), ms."""

TEXT_JMH_SPREAD = """JMH's score is the mean of its measurement iterations (`-i 3` in the full run, 1 in `--quick`, 1 s
each, one fork); the error is JMH's 99.9 % confidence half-width (none with a single iteration) and
the range is the fastest and slowest iteration. With three iterations the range says more than the
error does: a wide one means the run was disturbed."""

TEXT_TUNING = """## Tuning decisions in the kernels, and the figures behind them

The kernels' javadoc gives the reasons for each choice; these are the measurements that settled them,
taken on one day on a shared 2-core machine (AVX-512, JDK 17), so they show direction and size, not
figures to expect elsewhere.

| Kernel, choice | Measured |
|---|---|
| `GemmSimd` 12 rows × 2 vectors with 16-float vectors (AVX-512's 32 registers), 6 × 2 otherwise | one thread, against 6 × 2: 1024³ 92 → 120 GFLOP/s, 256³ 66 → 83, 64×784×576 78 → 93, 16×300×150 36 → 40; the micro-kernel loop in L1 135 → 160; 14 × 2, 8 × 3, 6 × 4 and 4 × 6 were slower in L1 |
| `GemmSimd.DEPTH` = 1024 (long k-blocks: fewer passes over the tile of C) | 1024³: 64 GFLOP/s with 256, 72 with 1024 (6 × 2 block); with the 12-row block, timed in one JVM alternating with 1024 (medians of 9–21 rounds): 256 0.97–1.02×, 256 with row blocks of 576 0.97–1.02×, 384 0.94–1.01× on 256³–1024³ and 64×784×576, 128×4608×512 |
| `GemmSimd.TILE_COLS` = 32·NR (wide tiles: fewer repacks of A) | 256 columns instead: 6% slower at 1024³ |
| `GemmSimd.PARALLEL_THRESHOLD` = 2¹⁹ multiply-adds, about 80³ | two threads against one, medians of 15 alternating rounds in one JVM, with the pool's workers awake between kernels: 64³ 0.75×, 96³ 1.65×, 128×128×64 1.68×, 128³ 1.40×, 192³ 1.47×, 256³ 1.66×, 16×300×150 1.17×, 256×84×120 1.44×, 256×400×120 1.53×; with the earlier pool that woke a parked thread for every product, 128³ 0.45–0.76×, 256³ 0.83–1.24×, from 320³ up 1.3–1.6× |
| `GemmSimd.IN_PLACE_B_ROWS` = 64 (few rows: read B in place, unpacked) | 16×300×150: 48 → 54 GFLOP/s; 64×784×576: 63 → 68; but 512×261×4608: 69 → 55 in place |
| `GemmSimd.fewRowsStripCols`: few rows (≤ 64) cut into column strips for threads, more rows into row tiles | 2 threads: 64×784×576 62–65 → 88–106 GFLOP/s; 256×400×120 cut into columns 66–84 against 102–113 in rows |
| `GemmSimd.balancedRowsPerTile`: rows cut for threads where the busiest thread's estimated work (whole blocks + packing) is least, instead of 2 tiles per thread | 2 threads, alternating with the old cut in one JVM (41 rounds, per-call median / 90th percentile GFLOP/s): 512³ 194 → 208 / 235 → 253, 1024³ 210 → 230 / 243 → 260, 256×120×400 Bᵀ 100 → 110 / 147 → 183 and 98 → 109 / 100 → 111 in a second run; 256³ and 256×400×120 within the noise; with 256-bit vectors 1.00–1.08×. Letting it also cut into tiles short enough to read B in place: 128³ 0.85×, 160³ 0.89×, 128×4608×512 0.66×, so those keep the old cut |
| `GemmSimd.balancedStripCols`: few rows (≤ 64) cut into column strips whose width the same estimate chooses (1 to 4 strips per thread), instead of about 2 per thread; with fewer NR-wide panels than threads the rows are cut as before | 2 threads, alternating in one JVM (41 rounds, two runs, per-call median GFLOP/s): 64×784×576 112 → 123 and 107 → 113, 16×300×150 72 → 85 and 76 → 87, 32×1000×288 106 → 114 and 114 → 126, 6×784×150 92 → 97; with 256-bit vectors 1.03–1.05× |
| Tried for `GemmSimd` and not kept | B panels spaced off power-of-two strides (512³ was slower than 256³ and 1024³ in one run): 0.97–1.01×; A packed 12 named rows at a time: 0.98–1.00×; A read in place, unpacked: 128³ 1.10×, 256³ 1.00×, 512³ 0.97×; one row tile per thread regardless of rounding: within the noise |
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

def main(results, out):
    charts = os.path.splitext(out)[0]
    report = Report(results, os.path.basename(charts), os.path.join(os.path.dirname(out), "examples.md"))
    text = report.render()
    with open(out, "w") as f:
        f.write(text)
    os.makedirs(charts, exist_ok=True)
    for name, svg in report.charts.items():
        with open(os.path.join(charts, name), "w", encoding="utf-8") as f:
            f.write(svg)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
