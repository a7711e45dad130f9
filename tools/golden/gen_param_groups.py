"""Golden values for kindling.optim's parameter groups, from torch.optim.

The problem of gen_optim.py (same seed, so the same x, y, w0, b0) with a third, frozen parameter c (4,)
(requires_grad=False, in the optimizer all the same): each step recomputes
loss = sum(r * r), r = x @ w + b + c - y, calls backward and optimizer.step().
Groups: 0 = [w], 1 = [b, c], each with its own hyper-parameters (see CASES).
<case>_w_<k>, <case>_b_<k> hold the parameters after step k in (1, 5, 25); c never moves.

sgd_groups_sched also runs StepLR(step_size=2, gamma=0.5) after every step: <case>_lr0, <case>_lr1 are
each group's lr after each of the 25 scheduler steps.
sgd_added starts with group [w] only and adds group [b] (lr 0.1, momentum 0.5) after step 5 (add_param_group).
"""
import os
from collections import OrderedDict

import torch

from golden_io import write

SEED = 0
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NN_GOLDEN = os.path.join(ROOT, "nn", "src", "test", "resources", "golden")
torch.manual_seed(SEED)
out = OrderedDict()

x = torch.randn(5, 3)
y = torch.randn(5, 4)
w0 = torch.randn(3, 4) * 0.5
b0 = torch.randn(4) * 0.5
c0 = torch.linspace(-0.3, 0.3, 4)
out["c0"] = c0

CASES = [
    ("sgd_groups", torch.optim.SGD, dict(lr=0.01, momentum=0.9),
     dict(lr=0.1, momentum=0.5, weight_decay=0.1)),
    ("sgd_groups_sched", torch.optim.SGD, dict(lr=0.01, momentum=0.9),
     dict(lr=0.1, momentum=0.5, weight_decay=0.1)),
    ("adam_groups", torch.optim.Adam, dict(lr=0.05),
     dict(lr=0.01, betas=(0.8, 0.9), weight_decay=0.1)),
]


def loss_of(w, b, c):
    r = x @ w + b + c - y
    return (r * r).sum()


for name, cls, group0, group1 in CASES:
    w = w0.clone().requires_grad_(True)
    b = b0.clone().requires_grad_(True)
    c = c0.clone()
    opt = cls([dict(params=[w], **group0), dict(params=[b, c], **group1)])
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5) if name.endswith("sched") else None
    lr0, lr1 = [], []
    for step in range(1, 26):
        opt.zero_grad()
        loss_of(w, b, c).backward()
        opt.step()
        if sched is not None:
            sched.step()
            lr0.append(opt.param_groups[0]["lr"])
            lr1.append(opt.param_groups[1]["lr"])
        if step in (1, 5, 25):
            out["%s_w_%d" % (name, step)] = w.detach().clone()
            out["%s_b_%d" % (name, step)] = b.detach().clone()
    assert torch.equal(c, c0)
    if sched is not None:
        out[name + "_lr0"] = torch.tensor(lr0, dtype=torch.float64)
        out[name + "_lr1"] = torch.tensor(lr1, dtype=torch.float64)

w = w0.clone().requires_grad_(True)
b = b0.clone().requires_grad_(True)
opt = torch.optim.SGD([w], lr=0.01, momentum=0.9)
for step in range(1, 26):
    opt.zero_grad()
    loss_of(w, b, c0).backward()
    opt.step()
    if step == 5:
        opt.add_param_group(dict(params=[b], lr=0.1, momentum=0.5))
    if step in (1, 5, 25):
        out["sgd_added_w_%d" % step] = w.detach().clone()
        out["sgd_added_b_%d" % step] = b.detach().clone()

write(os.path.join(NN_GOLDEN, "param_groups.txt"), out, os.path.basename(__file__), SEED)
