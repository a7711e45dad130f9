"""Golden values for kindling.nn's layers and losses: Linear (PyTorch-initialised, its state dict is
loaded by the Java test), the activations, and every loss with its reductions, CrossEntropy with
label smoothing, ignore_index and class weights, and with class-probability targets.

Each case <case> stores its inputs <case>_<input>, the projection weights <case>_w, the output
<case>_out and, for each input or parameter that requires grad, <case>_grad_<input> = d/d<input> of
sum(out * w). The printed model, the state dict keys, Dropout and the default-init statistics are
checked in Java against PyTorch's documented values, not stored here.
"""
import os
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

from golden_io import leaf, write

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NN_GOLDEN = os.path.join(ROOT, "nn", "src", "test", "resources", "golden")
SEED = 0
torch.manual_seed(SEED)
out = OrderedDict()


def case(name, fn, grads, **inputs):
    """Runs fn(**inputs) with the inputs named in `grads` as float32 leaves; stores everything."""
    args = {}
    for key, value in inputs.items():
        args[key] = leaf(value) if key in grads else value.detach().to(torch.float32)
        out[name + "_" + key] = args[key]
    y = fn(**args)
    w = torch.randn(y.shape)
    (y * w).sum().backward()
    out[name + "_w"] = w
    out[name + "_out"] = y
    for key in grads:
        out[name + "_grad_" + key] = args[key].grad


def linear_case(name, layer, x):
    """A PyTorch-initialised layer: its parameters are stored so the Java side loads them."""
    x = leaf(x)
    y = layer(x)
    w = torch.randn(y.shape)
    (y * w).sum().backward()
    out[name + "_weight"] = layer.weight
    if layer.bias is not None:
        out[name + "_bias"] = layer.bias
    out[name + "_x"] = x
    out[name + "_w"] = w
    out[name + "_out"] = y
    out[name + "_grad_x"] = x.grad
    out[name + "_grad_weight"] = layer.weight.grad
    if layer.bias is not None:
        out[name + "_grad_bias"] = layer.bias.grad


# ---- Linear ----------------------------------------------------------------------------------
linear_case("linear", nn.Linear(4, 3), torch.randn(5, 4))
linear_case("linear_3d", nn.Linear(4, 3), torch.randn(2, 3, 4))
linear_case("linear_nobias", nn.Linear(4, 2, bias=False), torch.randn(3, 4))

# ---- Activations (an exact 0 in the input checks each gradient's convention at the kink) -------
xa = torch.randn(3, 5)
xa[0, 0] = 0.0
case("relu", lambda x: nn.ReLU()(x), ["x"], x=xa)
case("leaky_relu", lambda x: nn.LeakyReLU()(x), ["x"], x=xa)
case("leaky_relu_02", lambda x: nn.LeakyReLU(0.2)(x), ["x"], x=xa)
case("sigmoid", lambda x: nn.Sigmoid()(x), ["x"], x=xa)
case("tanh", lambda x: nn.Tanh()(x), ["x"], x=xa)
case("gelu", lambda x: nn.GELU()(x), ["x"], x=xa)
case("gelu_tanh", lambda x: nn.GELU(approximate="tanh")(x), ["x"], x=xa)
case("softmax", lambda x: nn.Softmax(dim=1)(x), ["x"], x=xa)
case("log_softmax", lambda x: nn.LogSoftmax(dim=1)(x), ["x"], x=xa)
case("flatten", lambda x: nn.Flatten()(x), ["x"], x=torch.randn(2, 3, 2, 2))

# ---- CrossEntropy / NLL ------------------------------------------------------------------------
logits = torch.randn(5, 4)
t5 = torch.tensor([0.0, 3.0, 1.0, 1.0, 2.0])
t5_ignored = torch.tensor([0.0, 3.0, -100.0, 1.0, -100.0])
t5_ignore2 = torch.tensor([0.0, 2.0, 2.0, 1.0, 3.0])
cw = torch.rand(4) + 0.5
L = lambda t: t.long()
case("ce", lambda x, t: F.cross_entropy(x, L(t)), ["x"], x=logits, t=t5)
case("ce_none", lambda x, t: F.cross_entropy(x, L(t), reduction="none"), ["x"], x=logits, t=t5)
case("ce_sum", lambda x, t: F.cross_entropy(x, L(t), reduction="sum"), ["x"], x=logits, t=t5)
case("ce_smooth", lambda x, t: F.cross_entropy(x, L(t), label_smoothing=0.1), ["x"], x=logits, t=t5)
case("ce_smooth_none", lambda x, t: F.cross_entropy(x, L(t), label_smoothing=0.25, reduction="none"), ["x"],
     x=logits, t=t5)
case("ce_ignore", lambda x, t: F.cross_entropy(x, L(t)), ["x"], x=logits, t=t5_ignored)
case("ce_ignore_smooth", lambda x, t: F.cross_entropy(x, L(t), label_smoothing=0.2), ["x"], x=logits, t=t5_ignored)
case("ce_ignore2_smooth_sum", lambda x, t: F.cross_entropy(x, L(t), ignore_index=2, label_smoothing=0.2,
                                                            reduction="sum"), ["x"], x=logits, t=t5_ignore2)
case("ce_weight", lambda x, t, cw: F.cross_entropy(x, L(t), weight=cw), ["x"], x=logits, t=t5, cw=cw)
case("ce_weight_ignore_smooth", lambda x, t, cw: F.cross_entropy(x, L(t), weight=cw, label_smoothing=0.2), ["x"],
     x=logits, t=t5_ignored, cw=cw)
case("ce_weight_smooth_none", lambda x, t, cw: F.cross_entropy(x, L(t), weight=cw, label_smoothing=0.2,
                                                               reduction="none"), ["x"], x=logits, t=t5_ignored, cw=cw)
case("ce_spatial", lambda x, t: F.cross_entropy(x, L(t), label_smoothing=0.1), ["x"], x=torch.randn(2, 3, 4),
     t=torch.tensor([[0.0, 2.0, 1.0, -100.0], [2.0, 2.0, 0.0, 1.0]]))
case("ce_unbatched", lambda x, t: F.cross_entropy(x, L(t)), ["x"], x=torch.randn(4), t=torch.tensor(2.0))
case("ce_large", lambda x, t: F.cross_entropy(x, L(t)), ["x"],
     x=torch.tensor([[1000.0, -1000.0, 0.0], [-500.0, 500.0, 499.0]]), t=torch.tensor([1.0, 2.0]))
logp = torch.randn(5, 4).log_softmax(1)
case("nll", lambda x, t: F.nll_loss(x, L(t)), ["x"], x=logp, t=t5)
case("nll_weight_ignore", lambda x, t, cw: F.nll_loss(x, L(t), weight=cw), ["x"], x=logp, t=t5_ignored, cw=cw)
case("nll_none", lambda x, t: F.nll_loss(x, L(t), reduction="none"), ["x"], x=logp, t=t5_ignored)

# ---- Regression losses ------------------------------------------------------------------------
xr, yr = torch.randn(3, 4), torch.randn(3, 4)
yr[0, 0] = xr[0, 0]
case("mse", lambda x, y: F.mse_loss(x, y), ["x", "y"], x=xr, y=yr)
case("mse_none", lambda x, y: F.mse_loss(x, y, reduction="none"), ["x", "y"], x=xr, y=yr)
case("mse_sum", lambda x, y: F.mse_loss(x, y, reduction="sum"), ["x", "y"], x=xr, y=yr)
case("l1", lambda x, y: F.l1_loss(x, y), ["x", "y"], x=xr, y=yr)
case("l1_none", lambda x, y: F.l1_loss(x, y, reduction="none"), ["x", "y"], x=xr, y=yr)
case("l1_sum", lambda x, y: F.l1_loss(x, y, reduction="sum"), ["x", "y"], x=xr, y=yr)

# ---- Binary cross-entropy ---------------------------------------------------------------------
probs = torch.rand(3, 4) * 0.9 + 0.05
probs[0, 0], probs[0, 1] = 0.0, 1.0                       # the clamp at -100 and the 1e-12 floor
yb = torch.rand(3, 4).round()
yb[0, 0], yb[0, 1] = 1.0, 0.0
yb[1, 0] = 0.3                                            # soft targets are allowed
bw = torch.rand(3, 4) + 0.5
case("bce", lambda x, y: F.binary_cross_entropy(x, y), ["x"], x=probs, y=yb)
case("bce_weight_none", lambda x, y, bw: F.binary_cross_entropy(x, y, weight=bw, reduction="none"), ["x"],
     x=probs, y=yb, bw=bw)
case("bce_sum", lambda x, y: F.binary_cross_entropy(x, y, reduction="sum"), ["x"], x=probs, y=yb)
xl = torch.randn(3, 4) * 3
xl[0, 0], xl[0, 1], xl[0, 2] = 0.0, 100.0, -100.0         # the kink at 0, and no overflow at +-100
pw = torch.tensor([0.5, 1.0, 2.0, 3.0])
case("bce_logits", lambda x, y: F.binary_cross_entropy_with_logits(x, y), ["x", "y"], x=xl, y=yb)
case("bce_logits_none", lambda x, y: F.binary_cross_entropy_with_logits(x, y, reduction="none"), ["x", "y"],
     x=xl, y=yb)
case("bce_logits_pos", lambda x, y, pw: F.binary_cross_entropy_with_logits(x, y, pos_weight=pw), ["x", "y"],
     x=xl, y=yb, pw=pw)
case("bce_logits_weight_pos_sum", lambda x, y, bw, pw: F.binary_cross_entropy_with_logits(
    x, y, weight=bw, pos_weight=pw, reduction="sum"), ["x"], x=xl, y=yb, bw=bw, pw=pw)

# ---- Triplet margin -----------------------------------------------------------------------------
a, p, n = torch.randn(4, 3), torch.randn(4, 3), torch.randn(4, 3)
abc = ["a", "p", "n"]
case("triplet", lambda a, p, n: F.triplet_margin_loss(a, p, n), abc, a=a, p=p, n=n)
case("triplet_none", lambda a, p, n: F.triplet_margin_loss(a, p, n, margin=2.0, reduction="none"), abc,
     a=a, p=p, n=n)
case("triplet_p1_swap", lambda a, p, n: F.triplet_margin_loss(a, p, n, p=1, swap=True, reduction="sum"), abc,
     a=a, p=p, n=n)
case("triplet_p3_swap_none", lambda a, p, n: F.triplet_margin_loss(a, p, n, p=3, swap=True, margin=1.5,
                                                                   reduction="none"), abc, a=a, p=p, n=n)
case("triplet_1d", lambda a, p, n: F.triplet_margin_loss(a, p, n, margin=3.0), abc, a=a[0], p=p[0], n=n[0])

# ---- CrossEntropy with class probabilities ("soft" targets) --------------------------------------
# Drawn after every other case, so adding these left the earlier cases' random inputs unchanged.
soft = torch.softmax(torch.randn(5, 4), 1)
case("ce_prob", lambda x, y: F.cross_entropy(x, y), ["x", "y"], x=logits, y=soft)
case("ce_prob_weight_smooth_sum", lambda x, y, cw: F.cross_entropy(x, y, weight=cw, label_smoothing=0.2,
                                                                   reduction="sum"), ["x", "y"], x=logits, y=soft, cw=cw)
case("ce_prob_none", lambda x, y: F.cross_entropy(x, y, label_smoothing=0.1, reduction="none"), ["x"],
     x=logits, y=soft)
case("ce_prob_spatial", lambda x, y, cw: F.cross_entropy(x, y, weight=cw), ["x", "y"], x=torch.randn(2, 3, 4),
     y=torch.softmax(torch.randn(2, 3, 4), 1), cw=cw[:3])
case("ce_prob_unbatched", lambda x, y: F.cross_entropy(x, y, label_smoothing=0.3), ["x", "y"], x=torch.randn(4),
     y=torch.softmax(torch.randn(4), 0))

write(os.path.join(NN_GOLDEN, "layers.txt"), out, os.path.basename(__file__), SEED)
