"""Golden values for kindling.nn's convolutions: Conv2d with stride, padding (numbers, "same" with
odd and even kernels), dilation, groups (depthwise too), no bias, 1x1 kernels, unbatched input.

Each case <case> stores the layer's weight <case>_weight and bias <case>_bias (drawn here, so the
Java test loads them), its input <case>_x, the projection weights <case>_w, the output <case>_out and
the gradients <case>_grad_<name> = d/d<name> of sum(out * w) for the input and the parameters.
"""
import os
from collections import OrderedDict

import torch
import torch.nn as nn

from golden_io import record_layer_with_drawn_parameters, write

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NN_GOLDEN = os.path.join(ROOT, "nn", "src", "test", "resources", "golden")
SEED = 0
torch.manual_seed(SEED)
out = OrderedDict()


def case(name, layer, x):
    """Draws the layer's parameters, runs layer(x), backpropagates sum(out * w); stores everything."""
    record_layer_with_drawn_parameters(out, name, layer, x)


case("conv_plain", nn.Conv2d(2, 3, 3), torch.randn(2, 2, 6, 5))
case("conv_stride2", nn.Conv2d(3, 4, 3, stride=2), torch.randn(2, 3, 7, 8))
case("conv_pad1", nn.Conv2d(2, 3, 3, padding=1), torch.randn(1, 2, 5, 5))
case("conv_pad_hw", nn.Conv2d(2, 2, (3, 5), stride=(2, 1), padding=(1, 2)), torch.randn(2, 2, 6, 7))
case("conv_same_odd", nn.Conv2d(2, 3, 5, padding="same"), torch.randn(1, 2, 6, 6))
case("conv_same_even", nn.Conv2d(2, 3, 4, padding="same"), torch.randn(2, 2, 5, 6))
case("conv_same_dilated", nn.Conv2d(2, 2, (2, 3), padding="same", dilation=(3, 2)), torch.randn(1, 2, 7, 7))
case("conv_dilation2", nn.Conv2d(2, 3, 3, dilation=2, padding=1), torch.randn(2, 2, 8, 7))
case("conv_groups2", nn.Conv2d(4, 6, 3, groups=2, padding=1), torch.randn(2, 4, 5, 5))
case("conv_depthwise", nn.Conv2d(3, 3, 3, groups=3, stride=2, padding=1), torch.randn(2, 3, 6, 6))
case("conv_nobias", nn.Conv2d(3, 2, 2, bias=False), torch.randn(2, 3, 4, 4))
case("conv_1x1", nn.Conv2d(5, 4, 1), torch.randn(3, 5, 3, 2))
case("conv_unbatched", nn.Conv2d(2, 3, 3, padding=1), torch.randn(2, 4, 4))
case("conv_lenet1", nn.Conv2d(1, 6, 5, padding=2), torch.randn(2, 1, 12, 12))

write(os.path.join(NN_GOLDEN, "conv.txt"), out, "gen_conv.py", SEED)
