"""Golden values for kindling.nn.Embedding: lookups with repeated indices, a padding row (positive and
negative padding_idx), index tensors of 1, 2 and 3 dims, max_norm with several norm types, and
from_pretrained with max_norm and norm_type.

Each case <case> stores the table <case>_weight (drawn here), the indices <case>_x (whole numbers as
floats), the projection weights <case>_w, the output <case>_out and the gradient <case>_grad_weight
of sum(out * w).
"""
import os
from collections import OrderedDict

import torch
import torch.nn as nn

from golden_io import write

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NN_GOLDEN = os.path.join(ROOT, "nn", "src", "test", "resources", "golden")
SEED = 0
torch.manual_seed(SEED)
out = OrderedDict()


def case(name, layer, index):
    with torch.no_grad():
        layer.weight.copy_(torch.randn(layer.weight.shape) * (2.0 if layer.max_norm is not None else 1.0))
        if layer.padding_idx is not None:
            layer.weight[layer.padding_idx].zero_()
    before = layer.weight.detach().clone()
    y = layer(index)
    w = torch.randn(y.shape)
    (y * w).sum().backward()
    out[name + "_weight"] = before
    out[name + "_x"] = index.float()
    out[name + "_w"] = w
    out[name + "_out"] = y.detach()
    out[name + "_grad_weight"] = layer.weight.grad.clone()
    if layer.max_norm is not None:
        out[name + "_weight_after"] = layer.weight.detach().clone()     # the rows max_norm scaled down


case("emb_plain", nn.Embedding(7, 3), torch.tensor([4, 0, 4, 6, 2]))
case("emb_batch", nn.Embedding(10, 4), torch.tensor([[1, 2, 3, 1], [9, 9, 0, 5]]))
case("emb_padding", nn.Embedding(6, 3, padding_idx=0), torch.tensor([[0, 2, 0], [5, 0, 2]]))
case("emb_padding_negative", nn.Embedding(6, 2, padding_idx=-1), torch.tensor([[[5, 1], [1, 5]], [[3, 5], [0, 0]]]))

# max_norm: rows the input picks whose norm is above it are scaled down in place before the lookup.
# Drawn after the cases above, so their random tables are unchanged. Their tables are N(0, 1) * 2, so
# some picked rows are above the limit and some below.
case("emb_max_norm", nn.Embedding(8, 4, max_norm=3.0), torch.tensor([[1, 2, 1], [7, 0, 5]]))
case("emb_max_norm_p1_padding", nn.Embedding(6, 3, padding_idx=2, max_norm=2.0, norm_type=1.0),
     torch.tensor([2, 3, 3, 0, 5]))
case("emb_max_norm_inf", nn.Embedding(5, 5, max_norm=1.0, norm_type=float("inf")), torch.tensor([4, 0, 1]))
case("emb_max_norm_p3", nn.Embedding(5, 6, max_norm=1.5, norm_type=3.0), torch.tensor([[0, 3], [3, 4]]))



# from_pretrained with max_norm and norm_type. Drawn last, so every table above is unchanged. The
# stored <case>_weight is the pretrained table as given; frozen, the table gets no gradient but its
# long picked rows are still scaled down (PyTorch renormalises under no_grad, whatever requires_grad).
def pretrained_case(name, freeze, max_norm, norm_type, index):
    vectors = torch.randn(6, 4) * 2.0
    layer = nn.Embedding.from_pretrained(vectors.clone(), freeze=freeze, max_norm=max_norm, norm_type=norm_type)
    y = layer(index)
    out[name + "_weight"] = vectors
    out[name + "_x"] = index.float()
    out[name + "_out"] = y.detach()
    out[name + "_weight_after"] = layer.weight.detach().clone()
    if not freeze:
        w = torch.randn(y.shape)
        (y * w).sum().backward()
        out[name + "_w"] = w
        out[name + "_grad_weight"] = layer.weight.grad.clone()


pretrained_case("emb_pretrained_max_norm", True, 2.0, 2.0, torch.tensor([[0, 3], [3, 5]]))
pretrained_case("emb_pretrained_max_norm_p1", False, 3.0, 1.0, torch.tensor([1, 4, 4, 2]))

write(os.path.join(NN_GOLDEN, "embedding.txt"), out, "gen_embedding.py", SEED)
