"""Golden values for the reductions and softmax: mean, max/min (ties), argmax/argmin, var/std,
logsumexp, softmax and log_softmax, with the gradient of each input.

Each case stores <case>_x (the input), <case>_w (weights), <case>_out (the op's output) and
<case>_grad (d/dx of sum(out * w)); max/min along a dim also store <case>_idx.
"""
import os
from collections import OrderedDict

import torch

from golden_io import CORE_GOLDEN, expression_of, leaf, write

SEED = 0
torch.manual_seed(SEED)
out = OrderedDict()
expressions = OrderedDict()


def case(name, x, fn):
    """Runs fn on a leaf copy of x and stores input, weights, output and input gradient."""
    expression = expression_of(fn)
    if expression:
        expressions[name] = expression
    x = leaf(x)
    y = fn(x)
    indices = None
    if isinstance(y, tuple):
        y, indices = y
    w = torch.randn(y.shape)
    (y * w).sum().backward()
    out[name + "_x"] = x
    out[name + "_w"] = w
    out[name + "_out"] = y
    out[name + "_grad"] = x.grad
    if indices is not None:
        out[name + "_idx"] = indices


x345 = torch.randn(3, 4, 5)
case("mean_all", x345, lambda x: x.mean())
case("mean_dim1", x345, lambda x: x.mean(1))
case("mean_neg_keep", x345, lambda x: x.mean(-1, keepdim=True))
case("mean_dims02", x345, lambda x: x.mean((0, 2)))

# Ties: the full max/min shares the gradient evenly; along a dim it picks the first index.
ties = torch.tensor([[1.0, 5.0, 5.0, -2.0], [2.0, 5.0, 0.0, -2.0], [3.0, 3.0, 3.0, 3.0]])
case("max_all_ties", ties, lambda x: x.max())
case("min_all_ties", ties, lambda x: x.min())
case("max_dim1_ties", ties, lambda x: tuple(x.max(1)))
case("min_dim0_ties_keep", ties, lambda x: tuple(x.min(0, keepdim=True)))
case("max_dimneg1_3d", x345, lambda x: tuple(x.max(-1)))
case("min_dim1_3d_keep", x345, lambda x: tuple(x.min(1, keepdim=True)))
out["argmax_all_ties"] = ties.argmax()
out["argmin_all_ties"] = ties.argmin()
out["argmax_dim1_ties"] = ties.argmax(1)
out["argmin_dim0_ties_keep"] = ties.argmin(0, keepdim=True)

case("var_all", x345, lambda x: x.var())
case("std_all_biased", x345, lambda x: x.std(unbiased=False))
case("var_dim1", x345, lambda x: x.var(1))
case("std_neg_keep_biased", x345, lambda x: x.std(-1, unbiased=False, keepdim=True))
case("var_dims02_biased", x345, lambda x: x.var((0, 2), unbiased=False))
case("std_dims12", x345, lambda x: x.std((1, 2)))
# A large mean over a small spread: E[x²] − E[x]² in float32 would lose every digit.
case("var_offset", 10000.0 + torch.randn(2, 6), lambda x: x.var(1))
# A constant row: std is 0, and PyTorch 1.13 masks its gradient to 0.
case("std_constant_row", torch.tensor([[2.0, 2.0, 2.0], [1.0, 2.0, 4.0]]), lambda x: x.std(1))

case("lse_dim1", x345, lambda x: x.logsumexp(1))
case("lse_neg_keep", x345, lambda x: x.logsumexp(-1, keepdim=True))
case("lse_dims02", x345, lambda x: x.logsumexp((0, 2)))
case("lse_large", torch.tensor([[1000.0, 999.0, -1000.0], [-1000.0, -1001.0, -999.0]]), lambda x: x.logsumexp(1))

x234 = torch.randn(2, 3, 4)
case("softmax_dim1", x234, lambda x: x.softmax(1))
case("softmax_neg1", x234, lambda x: x.softmax(-1))
case("softmax_dim0", x234, lambda x: x.softmax(0))
case("softmax_1d", torch.randn(6), lambda x: x.softmax(0))
case("softmax_large", torch.tensor([[1000.0, -1000.0, 0.0, 999.0], [-1000.0, -1000.0, -999.0, -1000.0]]),
     lambda x: x.softmax(1))
case("softmax_transposed", x234, lambda x: x.transpose(0, 2).softmax(1))
case("logsoftmax_dim1", x234, lambda x: x.log_softmax(1))
case("logsoftmax_neg1", x234, lambda x: x.log_softmax(-1))
case("logsoftmax_1d", torch.randn(6), lambda x: x.log_softmax(0))
case("logsoftmax_large", torch.tensor([[1000.0, -1000.0, 0.0, 999.0], [-1000.0, -1000.0, -999.0, -1000.0]]),
     lambda x: x.log_softmax(1))
case("logsoftmax_transposed", x234, lambda x: x.transpose(0, 2).log_softmax(1))

write(os.path.join(CORE_GOLDEN, "reductions.txt"), out, os.path.basename(__file__), SEED, expressions)
