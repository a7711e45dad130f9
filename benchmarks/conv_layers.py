"""PyTorch's side of kindling.benchmarks.ConvLayerTable: every distinct convolution layer of the two
ResNet training steps (ResNet.small() on 28x28, d2l's ResNet-18 on 96x96, batch 128) and of d2l's
LeNet (batch 256), forward
(F.conv2d), dL/dx (torch.nn.grad.conv2d_input) and dL/dW (torch.nn.grad.conv2d_weight), one call at a
time, medians with quartiles in ms.

    OPENBLAS_NUM_THREADS=n OMP_NUM_THREADS=n python3 benchmarks/conv_layers.py threads calls [small|d2l|lenet|all] [names]
"""
import sys
import time

import torch
import torch.nn.functional as F
from torch.nn.grad import conv2d_input, conv2d_weight

LAYERS = [  # name, count, C_in, C_out, H (= W), k, stride, padding
    ("s-stem", 1, 1, 16, 28, 3, 1, 1),
    ("s-16x14", 4, 16, 16, 14, 3, 1, 1),
    ("s-16>32s2", 1, 16, 32, 14, 3, 2, 1),
    ("s-16>32k1", 1, 16, 32, 14, 1, 2, 0),
    ("s-32x7", 3, 32, 32, 7, 3, 1, 1),
    ("s-32>64s2", 1, 32, 64, 7, 3, 2, 1),
    ("s-32>64k1", 1, 32, 64, 7, 1, 2, 0),
    ("s-64x4", 3, 64, 64, 4, 3, 1, 1),
    ("s-64>128s2", 1, 64, 128, 4, 3, 2, 1),
    ("s-64>128k1", 1, 64, 128, 4, 1, 2, 0),
    ("s-128x2", 3, 128, 128, 2, 3, 1, 1),
    ("r-stem", 1, 1, 64, 96, 7, 2, 3),
    ("r-64x24", 4, 64, 64, 24, 3, 1, 1),
    ("r-64>128s2", 1, 64, 128, 24, 3, 2, 1),
    ("r-64>128k1", 1, 64, 128, 24, 1, 2, 0),
    ("r-128x12", 3, 128, 128, 12, 3, 1, 1),
    ("r-128>256s2", 1, 128, 256, 12, 3, 2, 1),
    ("r-128>256k1", 1, 128, 256, 12, 1, 2, 0),
    ("r-256x6", 3, 256, 256, 6, 3, 1, 1),
    ("r-256>512s2", 1, 256, 512, 6, 3, 2, 1),
    ("r-256>512k1", 1, 256, 512, 6, 1, 2, 0),
    ("r-512x3", 3, 512, 512, 3, 3, 1, 1),
    ("l-conv1", 1, 1, 6, 28, 5, 1, 2),
    ("l-conv2", 1, 6, 16, 14, 5, 1, 0),
]
PREFIX = {"small": "s-", "d2l": "r-", "lenet": "l-"}


def quantile(ordered, q):
    at = q * (len(ordered) - 1)
    lo = int(at)
    hi = min(len(ordered) - 1, lo + 1)
    return ordered[lo] + (at - lo) * (ordered[hi] - ordered[lo])


def main(threads, calls, network, only):
    torch.set_num_threads(threads)
    torch.manual_seed(17)
    for name, count, cin, cout, size, k, s, p in LAYERS:
        if network != "all" and not name.startswith(PREFIX[network]):
            continue
        if only and name not in only:
            continue
        x = torch.rand(256 if name.startswith("l-") else 128, cin, size, size) * 2 - 1
        w = torch.rand(cout, cin, k, k) * 2 - 1
        with torch.no_grad():
            gy = torch.rand_like(F.conv2d(x, w, None, s, p)) * 2 - 1
            ops = [("fwd", lambda: F.conv2d(x, w, None, s, p)),
                   ("dx", lambda: conv2d_input(x.shape, w, gy, s, p)),
                   ("dw", lambda: conv2d_weight(x, w.shape, gy, s, p))]
            for _ in range(max(3, calls // 3)):
                for _, fn in ops:
                    fn()
            times = [[], [], []]
            for _ in range(calls):
                for i, (_, fn) in enumerate(ops):
                    t0 = time.perf_counter()
                    fn()
                    times[i].append((time.perf_counter() - t0) * 1e3)
        for i, (op, _) in enumerate(ops):
            t = sorted(times[i])
            print("pytorch  %dT %-12s x%d %-3s median %8.3f [%8.3f %8.3f] (%8.3f %8.3f) ms" % (
                threads, name, count, op, quantile(t, 0.5), quantile(t, 0.25), quantile(t, 0.75), t[0], t[-1]),
                flush=True)


USAGE = "usage: python3 benchmarks/conv_layers.py threads calls [small|d2l|lenet|all] [layer-name ...]"

if __name__ == "__main__":
    a = sys.argv[1:]
    network = a[2] if len(a) > 2 else "all"
    if len(a) < 2 or (network != "all" and network not in PREFIX):
        sys.exit(USAGE)
    main(int(a[0]), int(a[1]), network, a[3:])
