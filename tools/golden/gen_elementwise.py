"""Golden values for the elementwise ops: binary arithmetic with broadcasting, scalar overloads,
comparisons, where, and the unary functions, including PyTorch's gradients at the edge points
(relu'(0), abs'(0), clamp at its bounds, maximum/minimum ties, sqrt at 0, pow(x, 0), pow with a
zero base, division by zero).

Every case stores its inputs, an upstream gradient w, the output y and the input gradients of
L = Σ y·w. Java's Float.parseFloat spells non-finite values NaN and Infinity, so they are written
that way here.
"""
import math
import os
import re
from collections import OrderedDict

import torch
import torch.nn.functional as F

from golden_io import CORE_GOLDEN, leaf, write

SEED = 0
torch.manual_seed(SEED)
out = OrderedDict()
nan, inf = float("nan"), float("inf")


def case(name, f, **inputs):
    """Runs f on leaf copies of the inputs, backpropagates a random w and records everything."""
    leaves = OrderedDict((k, leaf(v)) for k, v in inputs.items())
    y = f(*leaves.values())
    w = torch.randn(y.shape)
    y.backward(w)
    for k, v in leaves.items():
        out["%s_%s" % (name, k)] = v
    out[name + "_w"] = w
    out[name + "_out"] = y
    for k, v in leaves.items():
        out["%s_grad_%s" % (name, k)] = v.grad if v.grad is not None else torch.zeros_like(v)


def t(values):
    return torch.tensor(values, dtype=torch.float32)


# Binary ops, broadcasting (4, 3) with (3,) and (4, 3) with (4, 1); b kept away from 0 for div and pow.
a43 = torch.randn(4, 3)
b3 = torch.randn(3)
b41 = torch.randn(4, 1)
pos43 = torch.rand(4, 3) * 2 + 0.5
pos3 = torch.rand(3) * 2 + 0.5
for name, f in [("sub", torch.sub), ("div", torch.div), ("maximum", torch.maximum), ("minimum", torch.minimum)]:
    case(name + "_row", f, a=a43, b=b3 if name != "div" else pos3 * torch.sign(b3))
    case(name + "_col", f, a=a43, b=b41)
case("pow_row", torch.pow, a=pos43, b=b3)
case("pow_col", torch.pow, a=pos43, b=b41)

# Edge points of the binary ops.
case("div_edge", torch.div, a=t([1, 0, 1, -3, 2]), b=t([0, 0, 2, 0.5, -4]))
case("maximum_edge", torch.maximum, a=t([1, 2, 3, -1, 0]), b=t([1, 1, 4, -1, -0.0]))
case("minimum_edge", torch.minimum, a=t([1, 2, 3, -1, 0]), b=t([1, 1, 4, -1, -0.0]))
case("pow_edge", torch.pow, a=t([0, 0, 0, 0, -2, -2, 2, 2, -1, 3]), b=t([2, 0, -1, 0.5, 2, 0.5, 3, 0, 0, -2]))

# Scalar overloads: the scalar gets no gradient.
x = torch.randn(2, 3)
case("adds", lambda a: a + 1.5, a=x)
case("subs", lambda a: a - 1.5, a=x)
case("muls", lambda a: a * -2.5, a=x)
case("divs", lambda a: a / 4.0, a=x)
case("pows", lambda a: torch.pow(a, 3.0), a=x)
case("pows_zero", lambda a: torch.pow(a, 0.0), a=t([0, 2, -1]))
case("pows_half", lambda a: torch.pow(a, 0.5), a=t([0, 4, 2.25]))

# Comparisons: 0/1 masks, broadcasting, with ties.
ca = t([[1, 2, 3], [3, 2, 1]])
cb = t([2, 2, 2])
for name in ["eq", "ne", "lt", "le", "gt", "ge"]:
    out["cmp_%s_out" % name] = getattr(torch, name)(ca, cb).float()
    out["cmp_%s_scalar_out" % name] = getattr(torch, name)(ca, 2.0).float()
out["cmp_a"] = ca
out["cmp_b"] = cb

# where: condition (4, 1), x (3,), y (4, 3) broadcast together; a NaN condition counts as true.
cond = t([[1], [0], [nan], [-2]])
case("where", lambda x, y: torch.where(cond != 0, x, y), x=torch.randn(3), y=torch.randn(4, 3))
out["where_cond"] = cond

# Unary ops on random values plus their edge points.
r = torch.randn(12) * 2
case("neg", torch.neg, x=r)
case("exp", torch.exp, x=torch.cat([r, t([-100, 80])]))
case("log", torch.log, x=torch.cat([torch.rand(8) * 3 + 0.01, t([0, -1, 1])]))
case("sqrt", torch.sqrt, x=torch.cat([torch.rand(8) * 3 + 0.01, t([0, -1, 1])]))
case("abs", torch.abs, x=torch.cat([r, t([0, -0.0])]))
case("relu", torch.relu, x=torch.cat([r, t([0, -0.0, nan])]))
case("sigmoid", torch.sigmoid, x=torch.cat([r, t([0, -100, 100, -1000, 1000])]))
case("tanh", torch.tanh, x=torch.cat([r, t([0, -30, 30])]))
g = torch.cat([r, t([0, -3, 3, -5, 5, -10, 10, 1e-4])])
case("gelu", F.gelu, x=g)
case("gelu_tanh", lambda v: F.gelu(v, approximate="tanh"), x=g)
case("sin", torch.sin, x=torch.cat([r, t([0, math.pi, 100])]))
case("cos", torch.cos, x=torch.cat([r, t([0, math.pi, 100])]))
edge = t([-1, 1, 0, 2, -2, 0.5, -0.999])
case("clamp", lambda v: torch.clamp(v, -1.0, 1.0), x=torch.cat([r, edge]))
case("clamp_min", lambda v: torch.clamp(v, min=-1.0), x=torch.cat([r, edge]))
case("clamp_max", lambda v: torch.clamp(v, max=1.0), x=torch.cat([r, edge]))
case("clamp_inf", lambda v: torch.clamp(v, -inf, 0.5), x=torch.cat([r, edge]))
case("clamp_crossed", lambda v: torch.clamp(v, 1.0, -1.0), x=torch.cat([r, edge]))

# erfc on a grid, to check the rational approximation GELU uses (double precision reference).
z = torch.arange(-6, 9, 1 / 16, dtype=torch.float64)   # steps exact in float
out["erfc_x"] = z
out["erfc_out"] = torch.special.erfc(z)

path = os.path.join(CORE_GOLDEN, "elementwise.txt")
write(path, out, os.path.basename(__file__), SEED)
with open(path) as f:
    text = f.read()
text = re.sub(r"(?<![\w.])(-?)inf\b", r"\1Infinity", text)
text = re.sub(r"(?<![\w.])nan\b", "NaN", text)
with open(path, "w") as f:
    f.write(text)
