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

# in-place ops while recording: add_ with alpha, mul_, sub_ and relu_ on non-leaves (relu_ last: it saves
# its output, which a later in-place op would change). t is read by a sum
# before it is changed in place; that sum's gradient goes to t's old producer (x * a), not to relu_.
# z does not require grad until add_ adds x into it. mul_ by c, which requires grad and broadcasts,
# needs t's values from before the write for c's gradient.
x = leaf(torch.randn(4, 3))
a = leaf(torch.randn(3))
b = leaf(torch.randn(4, 3))
c = leaf(torch.randn(3))
d = leaf(torch.randn(1, 3))
w = torch.randn(4, 3)
v = torch.randn(4)
t = x * a
s = t.sum(1)
t.add_(b, alpha=0.5)
t.mul_(c)
t.sub_(d)
t.relu_()
z = torch.zeros(4, 3)
z.add_(x)
z.mul_(3.0)
y = t * w + z
loss = y.sum() + (s * v).sum()
loss.backward()
out.update(inplace_x=x, inplace_a=a, inplace_b=b, inplace_c=c, inplace_d=d, inplace_w=w, inplace_v=v,
           inplace_out=y, inplace_grad_x=x.grad, inplace_grad_a=a.grad, inplace_grad_b=b.grad,
           inplace_grad_c=c.grad, inplace_grad_d=d.grad)

write(os.path.join(CORE_GOLDEN, "autograd_basics.txt"), out, os.path.basename(__file__), SEED)
