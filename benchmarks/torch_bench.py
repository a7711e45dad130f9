#!/usr/bin/python3
"""The PyTorch side of Kindling's benchmarks, run on the same machine right after the Java ones.

Times, at 1 and 2 threads (torch.set_num_threads, and OPENBLAS_NUM_THREADS in a fresh process each):
  gemm      torch.mm(A, B, out=C) on the shapes of GemmBenchmark          -> GFLOP/s
  conv      F.conv2d forward, and forward + backward (dx, dW, db), on the
            layers of ConvBenchmark                                         -> ms per call
  train     whole SGD steps (forward, cross-entropy, backward, step) of d2l LeNet (batch 256),
            the examples' ResNet.small() (28x28, batch 128) and d2l ResNet-18 (96x96, batch 128),
            the same models as kindling.benchmarks.TrainingThroughput, on the same kind of
            synthetic data (four batches of N(0, 1) images and uniform labels, cycled) -> ms per step

Every call is timed on its own after a few warm-up calls, and every figure is the MEDIAN of those
times, with their spread ("stats": min, q1, median, q3, max, mean in ms, and n, the number of calls),
as TrainingThroughput does for Kindling: on a machine shared with other work a few calls take several
times the usual time, and a mean over few calls follows them. Quartiles interpolate linearly between
ranks (numpy's default, and TrainingThroughput's).

Usage: /usr/bin/python3 benchmarks/torch_bench.py OUT.json [--quick] [--conv-only]
  --conv-only   only the conv figures: run.sh's paired rounds, each right after Kindling's
Versions: Debian's python3-torch 1.13 (CPU; oneDNN for convolutions, the system BLAS for mm).
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

GEMM_SHAPES = ["64x64x64", "128x128x128", "256x256x256", "512x512x512", "1024x1024x1024",
               "256x400x120", "128x4608x512", "16x300x150", "64x784x576", "96x2916x121"]
# name: (N, C_in, H, W, C_out, k, stride, padding), as ConvBenchmark.geometry
CONV_LAYERS = {"lenet2": (256, 6, 14, 14, 16, 5, 1, 0),
               "resnet": (32, 64, 28, 28, 64, 3, 1, 1),
               "alexnet1": (8, 1, 224, 224, 96, 11, 4, 1)}


def quantile(ordered, q):
    """The q-quantile of sorted values, linear between the two nearest ranks: position q * (n - 1)."""
    position = q * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (position - below) * (ordered[above] - ordered[below])


def stats_ms(seconds):
    """min, q1, median, q3, max and mean of per-call times, in ms; n the number of calls."""
    ordered = sorted(s * 1e3 for s in seconds)
    return {"min": ordered[0], "q1": quantile(ordered, 0.25), "median": quantile(ordered, 0.5),
            "q3": quantile(ordered, 0.75), "max": ordered[-1], "mean": sum(ordered) / len(ordered),
            "n": len(ordered)}


def time_calls(fn, budget, warmup=3, min_calls=20):
    """Calls fn warmup times untimed, then times each call until budget seconds have passed and at
    least min_calls were made; stats_ms of the per-call times."""
    for _ in range(warmup):
        fn()
    seconds, start = [], time.perf_counter()
    while len(seconds) < min_calls or time.perf_counter() - start < budget:
        t = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - t)
    return stats_ms(seconds)


def bench_gemm(budget):
    """{shape: GFLOP/s at the median time}, and {shape: stats_ms}."""
    gflops, stats = {}, {}
    for shape in GEMM_SHAPES:
        m, n, k = (int(s) for s in shape.split("x"))
        a, b, c = torch.rand(m, k) * 2 - 1, torch.rand(k, n) * 2 - 1, torch.empty(m, n)
        stats[shape] = time_calls(lambda: torch.mm(a, b, out=c), budget)
        gflops[shape] = 2.0 * m * n * k / (stats[shape]["median"] * 1e-3) / 1e9
    return gflops, stats


def bench_conv(budget):
    """{layer: {forward_ms, forward_backward_ms (medians), forward_stats, forward_backward_stats}}."""
    results = {}
    for name, (n, cin, h, w, cout, k, s, p) in CONV_LAYERS.items():
        x = torch.rand(n, cin, h, w) * 2 - 1
        weight = (torch.rand(cout, cin, k, k) * 2 - 1).requires_grad_()
        bias = (torch.rand(cout) * 2 - 1).requires_grad_()
        xg = x.clone().requires_grad_()
        with torch.no_grad():
            forward = time_calls(lambda: F.conv2d(x, weight, bias, s, p), budget)
        grad_y = torch.rand_like(F.conv2d(x, weight, bias, s, p))

        def step():
            xg.grad = weight.grad = bias.grad = None
            F.conv2d(xg, weight, bias, s, p).backward(grad_y)
        both = time_calls(step, budget)
        results[name] = {"forward_ms": forward["median"], "forward_backward_ms": both["median"],
                         "forward_stats": forward, "forward_backward_stats": both}
    return results


class BasicBlock(nn.Module):
    """torchvision's BasicBlock, as kindling.nn.BasicBlock."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))


def stage(cin, cout, first):
    return nn.Sequential(BasicBlock(cout, cout, 1) if first else BasicBlock(cin, cout, 2), BasicBlock(cout, cout, 1))


def resnet(widths, stem):
    return nn.Sequential(stem, stage(widths[0], widths[0], True), stage(widths[0], widths[1], False),
                         stage(widths[1], widths[2], False), stage(widths[2], widths[3], False),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(widths[3], 10))


def model(name):
    if name == "lenet":
        return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.Sigmoid(), nn.AvgPool2d(2, 2),
                             nn.Conv2d(6, 16, 5), nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.Flatten(),
                             nn.Linear(400, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(),
                             nn.Linear(84, 10))
    if name == "resnet-small":
        return resnet([16, 32, 64, 128], nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16),
                                                       nn.ReLU(), nn.MaxPool2d(3, 2, 1)))
    return resnet([64, 128, 256, 512], nn.Sequential(nn.Conv2d(1, 64, 7, 2, 3), nn.BatchNorm2d(64),
                                                     nn.ReLU(), nn.MaxPool2d(3, 2, 1)))


WARMUP_SECONDS = 20


def bench_train(name, warmup, steps):
    torch.manual_seed(0)
    net = model(name)
    batch, size = (256, 28) if name == "lenet" else (128, 96 if name == "resnet18" else 28)
    images = [torch.randn(batch, 1, size, size) for _ in range(4)]
    labels = [torch.randint(0, 10, (batch,)) for _ in range(4)]
    optimizer = torch.optim.SGD(net.parameters(), lr=0.05)
    loss = nn.CrossEntropyLoss()

    def step(i):
        optimizer.zero_grad()
        loss(net(images[i % 4]), labels[i % 4]).backward()
        optimizer.step()
    # At least `warmup` steps and WARMUP_SECONDS of them, as TrainingThroughput warms up (its
    # WARMUP_NANOS says why): the same warm-up for both sides.
    warmed, warmup_end = 0, time.perf_counter() + WARMUP_SECONDS
    while warmed < warmup or time.perf_counter() < warmup_end:
        step(warmed)
        warmed += 1
    seconds = []
    for i in range(steps):
        start = time.perf_counter()
        step(i + 1)
        seconds.append(time.perf_counter() - start)
    stats = stats_ms(seconds)
    return {"ms_per_step": stats["median"], "images_per_s": batch * 1e3 / stats["median"],
            "images_per_s_mean": batch * 1e3 / stats["mean"], "steps": steps, "warmup": warmed, "stats": stats}


# (warm-up steps, timed steps) per model; TrainingThroughput's counts are in run.sh
TRAIN_STEPS = {"lenet": (10, 100), "resnet-small": (3, 50), "resnet18": (1, 16)}
TRAIN_STEPS_QUICK = {"lenet": (5, 50), "resnet-small": (2, 5), "resnet18": (1, 2)}


def measure(threads, quick, conv_only):
    """Every figure at one thread count (only the conv figures when conv_only), in this process (whose
    BLAS was started with that count)."""
    budget = 0.3 if quick else 1.0
    train_steps = TRAIN_STEPS_QUICK if quick else TRAIN_STEPS
    torch.set_num_threads(threads)
    if conv_only:
        return {"conv": bench_conv(budget)}
    gflops, gemm_stats = bench_gemm(budget)
    return {"gemm_gflops": gflops, "gemm_stats": gemm_stats, "conv": bench_conv(budget),
            "train": {name: bench_train(name, *train_steps[name]) for name in train_steps}}


def cpu_capability():
    """The instruction set PyTorch's own CPU kernels dispatch to (DEFAULT, AVX2 or AVX512)."""
    for line in torch.__config__.show().splitlines():
        if "CPU capability" in line:
            return line.split(":", 1)[1].strip()
    return None


def main(out, quick, conv_only):
    # torch.set_num_threads governs PyTorch's own pool (and oneDNN), but an OpenBLAS built with
    # pthreads keeps its own pool, sized once when the library loads: so each thread count runs in a
    # fresh process with OPENBLAS_NUM_THREADS and OMP_NUM_THREADS set, or "1 thread" torch.mm would
    # use every core.
    report = {"torch": torch.__version__, "parallel": torch.__config__.parallel_info().splitlines()[-1].strip(),
              "cpu_capability": cpu_capability(), "threads": {}}
    for threads in (1, 2):
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
        with tempfile.NamedTemporaryFile(suffix=".json") as part:
            subprocess.run([sys.executable, __file__, part.name, "--only", str(threads)]
                           + (["--quick"] if quick else []) + (["--conv-only"] if conv_only else []),
                           env=env, check=True)
            with open(part.name) as f:
                result = json.load(f)
        report["threads"][str(threads)] = result
        if conv_only:
            continue
        print("torch, %d thread(s), ms per step, median [min, q1, q3, max]: %s" % (threads, ", ".join(
            "%s %.1f [%.1f, %.1f, %.1f, %.1f]" % (name, r["stats"]["median"], r["stats"]["min"], r["stats"]["q1"],
                                                  r["stats"]["q3"], r["stats"]["max"])
            for name, r in result["train"].items())), flush=True)
    with open(out, "w") as f:
        json.dump(report, f, indent=1)


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--only" in args:
        with open(args[0], "w") as f:
            json.dump(measure(int(args[args.index("--only") + 1]), "--quick" in args, "--conv-only" in args), f)
    else:
        main(args[0], "--quick" in args[1:], "--conv-only" in args[1:])
