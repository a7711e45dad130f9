"""Golden values for the ops the engine is built on: add, mul, sum and the views."""
import os
from collections import OrderedDict

import torch

from golden_io import CORE_GOLDEN, leaf, write

SEED = 0
torch.manual_seed(SEED)
out = OrderedDict()

# add and mul with broadcasting: (4, 3) with (3,)
a = leaf(torch.randn(4, 3))
b = leaf(torch.randn(3))
w = torch.randn(4, 3)
y = (a * b + a) * w
y.sum().backward()
out.update(mulbcast_a=a, mulbcast_b=b, mulbcast_w=w, mulbcast_out=y, mulbcast_grad_a=a.grad, mulbcast_grad_b=b.grad)

# views: transpose, narrow, reshape, expand, and sum over dims with keepdim
x = leaf(torch.randn(2, 3, 4))
v = x.transpose(0, 2).narrow(1, 1, 2).reshape(8, 2)
s = (v * torch.arange(16.0).reshape(8, 2)).sum(0, keepdim=True).expand(3, 2)
s.sum().backward()
out.update(views_x=x, views_out=s, views_grad_x=x.grad)

x2 = leaf(torch.randn(3, 4, 5))
r = x2.sum(dim=(0, 2))
(r * torch.tensor([1.0, -2.0, 3.0, 0.5])).sum().backward()
out.update(sumdims_x=x2, sumdims_out=r, sumdims_grad_x=x2.grad)

write(os.path.join(CORE_GOLDEN, "autograd_basics.txt"), out, os.path.basename(__file__), SEED)
