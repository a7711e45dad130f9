"""Golden values for matmul, cat/stack and the indexing ops (index_select, gather, scatter_add).

Each case: inputs (float32 leaves), a fixed random weight w of the output's shape, the output y,
and the gradients of sum(y * w) with respect to each input. Index tensors are stored as floats.
"""
import os
from collections import OrderedDict

import torch

from golden_io import CORE_GOLDEN, leaf, write

SEED = 0
torch.manual_seed(SEED)
out = OrderedDict()


def case(name, fn, inputs, extra=None):
    """Runs y = fn(*inputs), backpropagates sum(y * w) and records inputs, w, y and every grad."""
    y = fn(*inputs)
    w = torch.randn(y.shape)
    (y * w).sum().backward()
    for i, x in enumerate(inputs):
        out["%s_in%d" % (name, i)] = x
    for key, value in (extra or {}).items():
        out["%s_%s" % (name, key)] = value
    out["%s_w" % name] = w
    out["%s_out" % name] = y
    for i, x in enumerate(inputs):
        out["%s_grad%d" % (name, i)] = x.grad


# matmul in every shape case of torch.matmul
MATMUL_SHAPES = [
    ("mm_dot", (4,), (4,)),
    ("mm_2d", (2, 3), (3, 5)),
    ("mm_vecmat", (3,), (3, 4)),
    ("mm_matvec", (4, 3), (3,)),
    ("mm_bcast", (2, 1, 3, 4), (5, 4, 6)),
    ("mm_batch_mat", (2, 3, 4), (4, 5)),
    ("mm_mat_batch", (3, 4), (2, 4, 5)),
    ("mm_batch_vec", (2, 3, 4), (4,)),
    ("mm_vec_batch", (4,), (2, 4, 3)),
]
for name, sa, sb in MATMUL_SHAPES:
    case(name, torch.matmul, [leaf(torch.randn(sa)), leaf(torch.randn(sb))])

# a square matrix times itself
case("mm_square", lambda x: x.matmul(x), [leaf(torch.randn(3, 3))])

# non-contiguous operands: a transposed view, a column slice, and a strided slice (needs a copy)
case("mm_views", lambda a, b: a.t().matmul(b[:, 1:6]), [leaf(torch.randn(4, 3)), leaf(torch.randn(4, 7))])
case("mm_strided", lambda a, b: a[::2].matmul(b[:, ::2].t()), [leaf(torch.randn(6, 4)), leaf(torch.randn(5, 8))])

# cat and stack of three tensors, on dim 0 and dim -1
case("cat0", lambda a, b, c: torch.cat([a, b, c], 0),
     [leaf(torch.randn(2, 3)), leaf(torch.randn(1, 3)), leaf(torch.randn(3, 3))])
case("catlast", lambda a, b, c: torch.cat([a, b, c], -1),
     [leaf(torch.randn(2, 2, 1)), leaf(torch.randn(2, 2, 3)), leaf(torch.randn(2, 2, 2))])
case("stack0", lambda a, b, c: torch.stack([a, b, c], 0),
     [leaf(torch.randn(2, 3)), leaf(torch.randn(2, 3)), leaf(torch.randn(2, 3))])
case("stacklast", lambda a, b, c: torch.stack([a, b, c], -1),
     [leaf(torch.randn(2, 3)), leaf(torch.randn(2, 3)), leaf(torch.randn(2, 3))])

# index_select with repeated indices, on dim 0 and dim 1
idx = torch.tensor([2, 0, 2, 2])
case("isel0", lambda x: x.index_select(0, idx), [leaf(torch.randn(3, 4))], {"index": idx})
idx = torch.tensor([1, 1, 3])
case("isel1", lambda x: x.index_select(1, idx), [leaf(torch.randn(2, 4, 2))], {"index": idx})

# gather on dim 0 and dim 1 (index smaller than the input, with repeats)
idx = torch.tensor([[2, 0, 1], [2, 2, 0]])
case("gather0", lambda x: x.gather(0, idx), [leaf(torch.randn(3, 4))], {"index": idx})
idx = torch.tensor([[3, 0, 3, 1, 1], [2, 2, 2, 0, 1]])
case("gather1", lambda x: x.gather(1, idx), [leaf(torch.randn(2, 4))], {"index": idx})

# scatter_add on dim 0 and dim 1 (repeated targets add up)
idx = torch.tensor([[0, 1, 0], [0, 2, 0]])
case("scatter0", lambda x, s: x.scatter_add(0, idx, s), [leaf(torch.randn(3, 3)), leaf(torch.randn(2, 3))],
     {"index": idx})
idx = torch.tensor([[1, 1, 0, 3], [2, 0, 0, 0]])
case("scatter1", lambda x, s: x.scatter_add(1, idx, s), [leaf(torch.randn(2, 4)), leaf(torch.randn(2, 4))],
     {"index": idx})

# scatter_add with src larger than index (index.size(d) <= src.size(d) for every d): only the part of src
# that index covers, src[:index.size(0), :index.size(1), ...], is added. PyTorch 1.13's autograd refuses the
# src gradient in that case (it returns gather(grad) of index's shape, not src's), so the case runs on that
# covered part of the src leaf, cut out with slicing: the same output (checked here against the whole src),
# and the gradient of the leaf is gather(grad) inside the covered part and 0 outside it.
def covered(s, index):
    return s[tuple(slice(0, n) for n in index.shape)]


idx = torch.tensor([[0, 2], [1, 1]])
src = leaf(torch.randn(3, 4))
x = leaf(torch.randn(2, 3))
assert torch.equal(x.scatter_add(1, idx, src), x.scatter_add(1, idx, covered(src, idx)))
case("scatterbig1", lambda x, s: x.scatter_add(1, idx, covered(s, idx)), [x, src], {"index": idx})
idx = torch.tensor([[[2, 0], [1, 2]], [[0, 0], [2, 1]]])
src = leaf(torch.randn(3, 3, 4))
x = leaf(torch.randn(3, 2, 2))
assert torch.equal(x.scatter_add(0, idx, src), x.scatter_add(0, idx, covered(src, idx)))
case("scatterbig0", lambda x, s: x.scatter_add(0, idx, covered(s, idx)), [x, src], {"index": idx})

write(os.path.join(CORE_GOLDEN, "joins.txt"), out, os.path.basename(__file__), SEED)
