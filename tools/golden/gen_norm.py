"""Golden values for kindling.nn's pooling and normalisation layers: MaxPool2d (ties, padding,
overlapping windows), AvgPool2d (padding with and without count_include_pad), AdaptiveAvgPool2d
(divisible and non-divisible sizes), BatchNorm1d/2d (training: outputs, gradients and running
statistics after one and two steps; eval mode), LayerNorm.

Each case <case> stores its input <case>_x, the projection weights <case>_w, the output <case>_out
and the gradients <case>_grad_<name> = d/d<name> of sum(out * w) for the input and parameters.
A BatchNorm case also stores its running statistics after each training step.
"""
import os
from collections import OrderedDict

import torch
import torch.nn as nn

from golden_io import leaf, record_layer, write

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NN_GOLDEN = os.path.join(ROOT, "nn", "src", "test", "resources", "golden")
SEED = 0
torch.manual_seed(SEED)
out = OrderedDict()


def case(name, layer, x):
    """Runs layer(x) on a float32 leaf, backpropagates sum(out * w); stores x, w, out and all gradients."""
    record_layer(out, name, layer, x)


# ---- Pooling ----------------------------------------------------------------------------------
x_ties = torch.tensor([[[[1.0, 3.0, 3.0, 0.0, 2.0],
                         [3.0, 2.0, 1.0, 3.0, 2.0],
                         [0.0, 0.0, 0.0, 0.0, 0.0],
                         [-1.0, -1.0, -2.0, -5.0, -5.0],
                         [4.0, 4.0, 4.0, 4.0, 4.0]]]])
case("maxpool_ties", nn.MaxPool2d(2), x_ties)                                 # ties inside windows
case("maxpool_overlap", nn.MaxPool2d(3, stride=1, padding=1), x_ties)       # shared winners, padding
case("maxpool_neg_pad", nn.MaxPool2d(2, stride=2, padding=1), -torch.rand(2, 3, 5, 4) - 1)   # padding must not win
case("maxpool_3d", nn.MaxPool2d(3, stride=2), torch.randn(2, 7, 6))
case("avgpool", nn.AvgPool2d(2), torch.randn(2, 3, 4, 5))
case("avgpool_pad", nn.AvgPool2d(3, stride=2, padding=1), torch.randn(1, 2, 5, 6))
case("avgpool_pad_exclude", nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False), torch.randn(1, 2, 5, 6))
case("adaptive_1", nn.AdaptiveAvgPool2d(1), torch.randn(2, 3, 4, 5))
case("adaptive_7to3", nn.AdaptiveAvgPool2d((3, 3)), torch.randn(1, 2, 7, 7))
case("adaptive_5x4to3x6", nn.AdaptiveAvgPool2d((3, 6)), torch.randn(2, 5, 4))


# ---- BatchNorm ---------------------------------------------------------------------------------
def batchnorm_case(name, layer, shape):
    """Two training steps (output and all gradients of each), the running stats after each, then eval."""
    with torch.no_grad():
        layer.weight.copy_(torch.rand(layer.num_features) + 0.5)
        layer.bias.copy_(torch.randn(layer.num_features))
    out[name + "_weight"] = layer.weight.detach().clone()
    out[name + "_bias"] = layer.bias.detach().clone()
    layer.train()
    for step in (1, 2):
        layer.zero_grad()
        case("%s_step%d" % (name, step), layer, torch.randn(shape) * 2 + 1)
        out["%s_step%d_running_mean" % (name, step)] = layer.running_mean.clone()
        out["%s_step%d_running_var" % (name, step)] = layer.running_var.clone()
    layer.eval()
    layer.zero_grad()
    case(name + "_eval", layer, torch.randn(shape))


batchnorm_case("bn1d", nn.BatchNorm1d(3), (5, 3))
batchnorm_case("bn1d_3d", nn.BatchNorm1d(3, momentum=0.3), (4, 3, 2))
batchnorm_case("bn2d", nn.BatchNorm2d(2, eps=1e-3), (3, 2, 2, 3))
case("bn2d_noaffine", nn.BatchNorm2d(2, affine=False), torch.randn(2, 2, 3, 3))

# ---- LayerNorm ---------------------------------------------------------------------------------


def layernorm_case(name, layer, x):
    if layer.elementwise_affine:
        with torch.no_grad():
            layer.weight.copy_(torch.rand(layer.weight.shape) + 0.5)
            layer.bias.copy_(torch.randn(layer.bias.shape))
        out[name + "_weight"] = layer.weight.detach().clone()
        out[name + "_bias"] = layer.bias.detach().clone()
    case(name, layer, x)


layernorm_case("layernorm", nn.LayerNorm(4), torch.randn(3, 4) * 3 + 2)
layernorm_case("layernorm_2d", nn.LayerNorm((2, 3)), torch.randn(2, 2, 2, 3))
layernorm_case("layernorm_noaffine", nn.LayerNorm(5, elementwise_affine=False), torch.randn(2, 5))

write(os.path.join(NN_GOLDEN, "norm.txt"), out, "gen_norm.py", SEED)
