"""Golden values for kindling.data.transforms.Resize: bilinear resizing of images (C, H, W) as
torch.nn.functional.interpolate(x[None], size=(h, w), mode='bilinear', align_corners=False)[0]
with antialias off. (torchvision's Resize on tensors turns antialias on in newer versions, which
blurs before downsampling; Kindling's Resize matches interpolate without it.)

Each case <case> stores its input <case>_x (C, H, W) and output <case>_out (C, h, w).
"""
import os
from collections import OrderedDict

import torch
import torch.nn.functional as F

from golden_io import write

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NN_GOLDEN = os.path.join(ROOT, "nn", "src", "test", "resources", "golden")
SEED = 0
torch.manual_seed(SEED)
out = OrderedDict()


def resize(name, x, size):
    out[name + "_x"] = x
    out[name + "_out"] = F.interpolate(x[None], size=size, mode="bilinear", align_corners=False)[0]


resize("up_28_to_224x96", torch.rand(1, 28, 28), (224, 96))     # upsampling ×8 and ×24/7
resize("up_28_to_96", torch.rand(1, 28, 28), (96, 96))
resize("down_7_to_3", torch.rand(2, 7, 7), (3, 3))              # downsampling by 7/3, two channels
resize("down_28_to_14", torch.rand(1, 28, 28), (14, 14))
resize("mixed_5x7_to_8x4", torch.randn(3, 5, 7), (8, 4))        # up in H, down in W
resize("same_4x6", torch.rand(1, 4, 6), (4, 6))                 # identity
resize("one_pixel_to_3x2", torch.rand(1, 1, 1), (3, 2))

write(os.path.join(NN_GOLDEN, "data.txt"), out, os.path.basename(__file__), SEED)
