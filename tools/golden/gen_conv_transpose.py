"""Golden values for kindling.nn.ConvTranspose2d: stride, padding, output_padding, dilation, groups,
non-square kernels, no bias, unbatched input.

Each case <case> stores the layer's weight <case>_weight and bias <case>_bias (drawn here, so the
Java test loads them), its input <case>_x, the projection weights <case>_w, the output <case>_out and
the gradients <case>_grad_<name> = d/d<name> of sum(out * w) for the input and the parameters.
Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_conv_transpose.py
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


T = nn.ConvTranspose2d
case("convt_plain", T(2, 3, 3), torch.randn(2, 2, 4, 5))
case("convt_stride2", T(3, 2, 3, stride=2), torch.randn(2, 3, 3, 4))
case("convt_stride2_outpad1", T(2, 3, 3, stride=2, padding=1, output_padding=1), torch.randn(2, 2, 4, 4))
case("convt_pad_hw", T(2, 2, (3, 5), stride=(2, 1), padding=(1, 2)), torch.randn(1, 2, 4, 5))
case("convt_outpad_dilation", T(2, 2, 3, stride=1, dilation=2, output_padding=1), torch.randn(2, 2, 3, 3))
case("convt_dilation2", T(2, 3, 3, dilation=2, padding=1), torch.randn(2, 2, 4, 3))
case("convt_groups2", T(4, 6, 3, groups=2, stride=2, padding=1), torch.randn(2, 4, 3, 3))
case("convt_depthwise", T(3, 3, 4, groups=3, stride=2, padding=1), torch.randn(1, 3, 3, 3))
case("convt_nobias", T(3, 2, 2, stride=2, bias=False), torch.randn(2, 3, 3, 3))
case("convt_1x1", T(5, 4, 1), torch.randn(3, 5, 3, 2))
case("convt_unbatched", T(2, 3, 3, stride=2, padding=1, output_padding=1), torch.randn(2, 3, 3))

write(os.path.join(NN_GOLDEN, "conv_transpose.txt"), out, "gen_conv_transpose.py", SEED)

if __name__ == "__main__":
    for layer in (T(16, 33, 3, stride=2), T(16, 33, (3, 5), stride=(2, 1), padding=(4, 2)),
                  T(4, 4, 3, stride=2, padding=1, output_padding=1, dilation=2, groups=4, bias=False)):
        print(layer)
