"""Golden values for the style-transfer losses of the `style` example (Gatys, Ecker and Bethge, 2016),
written to examples/src/test/resources/golden/style.safetensors.

Two layers' feature maps of the generated image, x1 (1, 3, 4, 5) and x2 (1, 2, 3, 3), against the
content features c1 (layer 1 only) and the style features s1, s2:
    gram(F) = F_r @ F_r.T / (C * H * W),  F_r = F reshaped to (C, H * W)
    content = mse(x1, c1)
    style   = mse(gram(x1), gram(s1)) + mse(gram(x2), gram(s2))
    total   = content + 100 * style
with PyTorch's mean-reduced mse_loss. Stored: the inputs, gram_x1, gram_x2, content, style, total and
the gradients grad_x1, grad_x2 of total.
"""
import os
from collections import OrderedDict

import torch
import torch.nn.functional as F

from golden_io import ROOT
from safetensors_io import st_save

SEED = 0
torch.manual_seed(SEED)


def gram(f):
    n, c, h, w = f.shape
    flat = f.reshape(c, h * w)
    return flat @ flat.t() / (c * h * w)


x1 = torch.randn(1, 3, 4, 5, requires_grad=True)
x2 = torch.randn(1, 2, 3, 3, requires_grad=True)
c1 = torch.randn(1, 3, 4, 5)
s1 = torch.randn(1, 3, 4, 5)
s2 = torch.randn(1, 2, 3, 3)
content = F.mse_loss(x1, c1)
style = F.mse_loss(gram(x1), gram(s1)) + F.mse_loss(gram(x2), gram(s2))
total = content + 100 * style
total.backward()

out = OrderedDict()
for name, t in [("x1", x1), ("x2", x2), ("c1", c1), ("s1", s1), ("s2", s2), ("gram_x1", gram(x1)),
                ("gram_x2", gram(x2)), ("content", content), ("style", style), ("total", total),
                ("grad_x1", x1.grad), ("grad_x2", x2.grad)]:
    out[name] = t.detach().clone()
path = os.path.join(ROOT, "examples", "src", "test", "resources", "golden", "style.safetensors")
os.makedirs(os.path.dirname(path), exist_ok=True)
meta = {"generator": "tools/golden/gen_style.py", "torch": torch.__version__, "seed": str(SEED)}
with open(path, "wb") as f:
    f.write(st_save(out, meta))
print("wrote %s (%d tensors)" % (os.path.relpath(path, ROOT), len(out)))
