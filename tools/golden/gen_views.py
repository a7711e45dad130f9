"""Golden values for the view ops: permute, select, strided slice, squeeze/unsqueeze, flatten, expand, clone."""
import os
from collections import OrderedDict

import torch

from golden_io import CORE_GOLDEN, leaf, write

SEED = 1
torch.manual_seed(SEED)
out = OrderedDict()

x = leaf(torch.randn(2, 3, 4))
weights = torch.randn(4, 2, 3)
y = x.permute(2, 0, 1) * weights
y.sum().backward()
out.update(permute_x=x, permute_w=weights, permute_out=y, permute_grad_x=x.grad)

x = leaf(torch.randn(3, 5))
y = x[:, 1::2] * torch.arange(1.0, 7.0).reshape(3, 2)      # slice(dim 1, start 1, step 2)
z = x.select(0, -1) * torch.arange(5.0)                    # the last row
(y.sum() + z.sum()).backward()
out.update(slicestep_x=x, slicestep_out=y, select_out=z, slicestep_grad_x=x.grad)

x = leaf(torch.randn(2, 1, 3, 1))
y = x.squeeze().unsqueeze(0).flatten(1, 2) * torch.arange(6.0)
y.sum().backward()
out.update(squeeze_x=x, squeeze_out=y, squeeze_grad_x=x.grad)

x = leaf(torch.randn(3, 1))
y = x.expand(2, 3, 4) * torch.arange(24.0).reshape(2, 3, 4)
y.sum().backward()
out.update(expand_x=x, expand_out=y, expand_grad_x=x.grad)

x = leaf(torch.randn(4, 3))
y = x.t().clone().reshape(-1) * torch.arange(12.0)          # transpose then reshape must copy
y.sum().backward()
out.update(clone_x=x, clone_out=y, clone_grad_x=x.grad)

write(os.path.join(CORE_GOLDEN, "views.txt"), out, os.path.basename(__file__), SEED)
