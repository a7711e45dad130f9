"""Golden values for the layers a small diffusion / flow-matching U-Net uses: SiLU, GroupNorm (several
group counts, with and without affine, 2-D to 4-D inputs), Upsample (nearest and bilinear, integer and
fractional scale factors, align_corners) and the sinusoidal time embedding

    emb(t) = [sin(s·t·ω_0), ..., sin(s·t·ω_{h-1}), cos(s·t·ω_0), ..., cos(s·t·ω_{h-1})],
    ω_k = P^(−k/h),  h = d/2,  P = max_period,  s = time_scale,  s·ω_k rounded to float32,

written here in plain torch ops (PyTorch has no module for it).

Each case <case> stores its input <case>_x, the projection weights <case>_w, the output <case>_out
and the gradients <case>_grad_<name> = d/d<name> of sum(out * w) for the input and parameters. A
GroupNorm case with drawn parameters also stores them as <case>_weight and <case>_bias.
"""
import math
import os
from collections import OrderedDict

import torch
import torch.nn as nn

from golden_io import record_layer, record_layer_with_drawn_parameters, write

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NN_GOLDEN = os.path.join(ROOT, "nn", "src", "test", "resources", "golden")
SEED = 0
torch.manual_seed(SEED)
out = OrderedDict()

# ---- SiLU (an exact 0 in the input) ------------------------------------------------------------
xs = torch.randn(3, 5) * 3
xs[0, 0] = 0.0
record_layer(out, "silu", nn.SiLU(), xs)

# ---- GroupNorm ---------------------------------------------------------------------------------
record_layer_with_drawn_parameters(out, "groupnorm", nn.GroupNorm(2, 4), torch.randn(2, 4, 3, 3) * 2 + 1)
record_layer_with_drawn_parameters(out, "groupnorm_one_group", nn.GroupNorm(1, 6), torch.randn(2, 6, 2, 3))
record_layer_with_drawn_parameters(out, "groupnorm_per_channel", nn.GroupNorm(3, 3), torch.randn(2, 3, 4))
record_layer_with_drawn_parameters(out, "groupnorm_2d", nn.GroupNorm(2, 6, eps=1e-3), torch.randn(3, 6))
record_layer(out, "groupnorm_noaffine", nn.GroupNorm(4, 8, affine=False), torch.randn(2, 8, 2, 2) * 3 - 1)

# ---- Upsample ----------------------------------------------------------------------------------
xu = torch.randn(2, 3, 3, 4)
record_layer(out, "upsample_nearest2", nn.Upsample(scale_factor=2), xu)
record_layer(out, "upsample_nearest3", nn.Upsample(scale_factor=3), torch.randn(1, 2, 2, 3))
record_layer(out, "upsample_nearest1_5", nn.Upsample(scale_factor=1.5), torch.randn(1, 2, 4, 5))
record_layer(out, "upsample_bilinear2", nn.Upsample(scale_factor=2, mode="bilinear"), xu)
record_layer(out, "upsample_bilinear1_5", nn.Upsample(scale_factor=1.5, mode="bilinear"), torch.randn(1, 2, 4, 5))
record_layer(out, "upsample_bilinear2_corners", nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True), xu)


# ---- Sinusoidal time embedding -----------------------------------------------------------------
class SinusoidalTimeEmbedding(nn.Module):
    def __init__(self, dim, max_period=10000.0, time_scale=1000.0):
        super().__init__()
        self.dim, self.max_period, self.time_scale = dim, max_period, time_scale

    def forward(self, t):
        # the frequencies s·ω_k in float64, rounded once to float32; the angles are one float32 product,
        # exactly as the Java module computes them (at s·t ≈ 1000 a float32 angle is only good to ~6e-5)
        half = self.dim // 2
        freqs = (self.time_scale * self.max_period ** (-torch.arange(half, dtype=torch.float64) / half)).float()
        angles = t.reshape(-1, 1) * freqs.reshape(1, -1)
        return torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)


t = torch.tensor([0.0, 0.001, 0.25, 0.5, 0.999])
record_layer(out, "time_embedding8", SinusoidalTimeEmbedding(8), t)
record_layer(out, "time_embedding6_plain", SinusoidalTimeEmbedding(6, max_period=100.0, time_scale=1.0),
             torch.tensor([0.0, 1.0, 2.5, 7.0]))

# ---- GroupNorm at a U-Net's size: 32 channels in 8 groups, 7×7 (a seed of its own, so that adding it
# moved none of the cases above) --------------------------------------------------------------------
torch.manual_seed(1)
record_layer_with_drawn_parameters(out, "groupnorm_unet", nn.GroupNorm(8, 32), torch.randn(2, 32, 7, 7) * 1.5 + 0.5)

write(os.path.join(NN_GOLDEN, "generative.txt"), out, "gen_generative.py", SEED)
