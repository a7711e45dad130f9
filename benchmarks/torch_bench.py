#!/usr/bin/python3
"""The PyTorch side of Kindling's benchmarks, run on the same machine right after the Java ones.

Times, at 1 and 2 threads (torch.set_num_threads, and OPENBLAS_NUM_THREADS in a fresh process each):
  gemm      torch.mm(A, B, out=C) on the shapes of GemmBenchmark          -> GFLOP/s
  conv      F.conv2d forward, and forward + backward (dx, dW, db), on the
            layers of ConvBenchmark                                         -> ms per call
  train     whole SGD steps (forward, cross-entropy, backward, step) of d2l LeNet (batch 256),
            the examples' ResNet.small() (28x28, batch 128) and d2l ResNet-18 (96x96, batch 128),
            the same models as kindling.benchmarks.TrainingThroughput, on the same kind of
            synthetic data (four batches of N(0, 1) images and uniform labels, cycled) -> images/s

Usage: /usr/bin/python3 benchmarks/torch_bench.py OUT.json [--quick]
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


def mean_seconds(fn, budget, warmup=2, min_calls=2):
    """Calls fn warmup times, then until budget seconds have passed (at least min_calls); mean time per call."""
    for _ in range(warmup):
        fn()
    calls, start = 0, time.perf_counter()
    while calls < min_calls or time.perf_counter() - start < budget:
        fn()
        calls += 1
    return (time.perf_counter() - start) / calls


def bench_gemm(budget):
    results = {}
    for shape in GEMM_SHAPES:
        m, n, k = (int(s) for s in shape.split("x"))
        a, b, c = torch.rand(m, k) * 2 - 1, torch.rand(k, n) * 2 - 1, torch.empty(m, n)
        seconds = mean_seconds(lambda: torch.mm(a, b, out=c), budget)
        results[shape] = 2.0 * m * n * k / seconds / 1e9
    return results


def bench_conv(budget):
    results = {}
    for name, (n, cin, h, w, cout, k, s, p) in CONV_LAYERS.items():
        x = torch.rand(n, cin, h, w) * 2 - 1
        weight = (torch.rand(cout, cin, k, k) * 2 - 1).requires_grad_()
        bias = (torch.rand(cout) * 2 - 1).requires_grad_()
        xg = x.clone().requires_grad_()
        with torch.no_grad():
            forward = mean_seconds(lambda: F.conv2d(x, weight, bias, s, p), budget)
        grad_y = torch.rand_like(F.conv2d(x, weight, bias, s, p))

        def step():
            xg.grad = weight.grad = bias.grad = None
            F.conv2d(xg, weight, bias, s, p).backward(grad_y)
        results[name] = {"forward_ms": forward * 1e3,
                         "forward_backward_ms": mean_seconds(step, budget) * 1e3}
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
    for i in range(warmup):
        step(i)
    start = time.perf_counter()
    for i in range(steps):
        step(i + 1)
    seconds = time.perf_counter() - start
    return {"ms_per_step": seconds * 1e3 / steps, "images_per_s": batch * steps / seconds, "steps": steps}


def measure(threads, quick):
    """Every figure at one thread count, in this process (whose BLAS was started with that count)."""
    budget = 0.3 if quick else 1.0
    train_steps = {"lenet": (2, 5) if quick else (5, 30),
                   "resnet-small": (2, 3) if quick else (3, 20),
                   "resnet18": (1, 1) if quick else (1, 3)}
    torch.set_num_threads(threads)
    return {"gemm_gflops": bench_gemm(budget), "conv": bench_conv(budget),
            "train": {name: bench_train(name, *train_steps[name]) for name in train_steps}}


def main(out, quick):
    # torch.set_num_threads governs PyTorch's own pool (and oneDNN), but an OpenBLAS built with
    # pthreads keeps its own pool, sized once when the library loads: so each thread count runs in a
    # fresh process with OPENBLAS_NUM_THREADS and OMP_NUM_THREADS set, or "1 thread" torch.mm would
    # use every core.
    report = {"torch": torch.__version__, "parallel": torch.__config__.parallel_info().splitlines()[-1].strip(),
              "threads": {}}
    for threads in (1, 2):
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
        with tempfile.NamedTemporaryFile(suffix=".json") as part:
            subprocess.run([sys.executable, __file__, part.name, "--only", str(threads)]
                           + (["--quick"] if quick else []), env=env, check=True)
            with open(part.name) as f:
                result = json.load(f)
        report["threads"][str(threads)] = result
        print("torch, %d thread(s): %s" % (threads, json.dumps(result["train"])), flush=True)
    with open(out, "w") as f:
        json.dump(report, f, indent=1)


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--only" in args:
        with open(args[0], "w") as f:
            json.dump(measure(int(args[args.index("--only") + 1]), "--quick" in args), f)
    else:
        main(args[0], "--quick" in args[1:])
