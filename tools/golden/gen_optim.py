"""Golden values for kindling.optim: optimizer trajectories, learning-rate schedules and gradient
clipping, from torch.optim and torch.nn.utils.

Trajectories: parameters w (3, 4) and b (4,) start at traj_w0, traj_b0; each step recomputes
loss = sum((x @ w + b - y) * (x @ w + b - y)) with traj_x (5, 3), traj_y (5, 4), calls backward and
optimizer.step(). <case>_w_<k>, <case>_b_<k> hold the parameters after step k in (1, 5, 25).

Schedules: an SGD optimizer with lr 0.1; sched_<case> holds the lr before training (index 0) and
get_last_lr() after each of 30 scheduler.step() calls (each after an optimizer.step()).

Clipping: clip_g0 (3, 4), clip_g1 (5,) are the gradients; clip_<case>_total the returned norm and
clip_<case>_g0, clip_<case>_g1 the clipped gradients.
"""
import math
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
out["traj_x"] = x
out["traj_y"] = y
out["traj_w0"] = w0
out["traj_b0"] = b0

# Kindling builder arguments in camelCase, mapped here to torch's keyword arguments.
CASES = [
    ("sgd", torch.optim.SGD, dict(lr=0.01)),
    ("sgd_momentum", torch.optim.SGD, dict(lr=0.01, momentum=0.9)),
    ("sgd_dampening", torch.optim.SGD, dict(lr=0.01, momentum=0.9, dampening=0.5)),
    ("sgd_nesterov", torch.optim.SGD, dict(lr=0.01, momentum=0.9, nesterov=True)),
    ("sgd_weight_decay", torch.optim.SGD, dict(lr=0.01, momentum=0.5, weight_decay=0.1)),
    ("rmsprop", torch.optim.RMSprop, dict(lr=0.01)),
    ("rmsprop_centered", torch.optim.RMSprop, dict(lr=0.01, centered=True)),
    ("rmsprop_momentum", torch.optim.RMSprop, dict(lr=0.01, momentum=0.9, weight_decay=0.1)),
    ("rmsprop_all", torch.optim.RMSprop, dict(lr=0.01, alpha=0.9, momentum=0.5, centered=True)),
    ("adagrad", torch.optim.Adagrad, dict(lr=0.1)),
    ("adagrad_decay", torch.optim.Adagrad, dict(lr=0.1, lr_decay=0.05, weight_decay=0.1,
                                                 initial_accumulator_value=0.5)),
    ("adam", torch.optim.Adam, dict(lr=0.05)),
    ("adam_weight_decay", torch.optim.Adam, dict(lr=0.05, weight_decay=0.1)),
    ("adam_amsgrad", torch.optim.Adam, dict(lr=0.05, betas=(0.8, 0.9), amsgrad=True)),
    ("adamw", torch.optim.AdamW, dict(lr=0.05)),
    ("adamw_amsgrad", torch.optim.AdamW, dict(lr=0.05, weight_decay=0.1, amsgrad=True)),
]

for name, cls, kwargs in CASES:
    w = w0.clone().requires_grad_(True)
    b = b0.clone().requires_grad_(True)
    opt = cls([w, b], **kwargs)
    for step in range(1, 26):
        opt.zero_grad()
        r = x @ w + b - y
        (r * r).sum().backward()
        opt.step()
        if step in (1, 5, 25):
            out["%s_w_%d" % (name, step)] = w.detach().clone()
            out["%s_b_%d" % (name, step)] = b.detach().clone()


def schedule(name, make):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    sched = make(opt)
    lrs = [opt.param_groups[0]["lr"]]
    for _ in range(30):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    out["sched_" + name] = torch.tensor(lrs, dtype=torch.float64)


S = torch.optim.lr_scheduler
schedule("step", lambda o: S.StepLR(o, step_size=7))
schedule("step_gamma", lambda o: S.StepLR(o, step_size=3, gamma=0.5))
schedule("multistep", lambda o: S.MultiStepLR(o, milestones=[5, 12, 12, 20], gamma=0.3))
schedule("exponential", lambda o: S.ExponentialLR(o, gamma=0.9))
schedule("cosine", lambda o: S.CosineAnnealingLR(o, T_max=10))
schedule("cosine_eta_min", lambda o: S.CosineAnnealingLR(o, T_max=12, eta_min=0.01))
schedule("linear", lambda o: S.LinearLR(o))
schedule("linear_decay", lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=20))

g0 = torch.randn(3, 4)
g1 = torch.randn(5)
out["clip_g0"] = g0
out["clip_g1"] = g1


def clip(name, fn):
    p0 = torch.zeros(3, 4)
    p1 = torch.zeros(5)
    p0.grad = g0.clone()
    p1.grad = g1.clone()
    total = fn([p0, p1])
    if total is not None:
        out["clip_%s_total" % name] = torch.as_tensor(total)
    out["clip_%s_g0" % name] = p0.grad
    out["clip_%s_g1" % name] = p1.grad


U = torch.nn.utils
clip("norm2", lambda ps: U.clip_grad_norm_(ps, max_norm=1.0))
clip("norm2_large", lambda ps: U.clip_grad_norm_(ps, max_norm=100.0))
clip("norm_inf", lambda ps: U.clip_grad_norm_(ps, max_norm=0.5, norm_type=math.inf))
clip("norm1", lambda ps: U.clip_grad_norm_(ps, max_norm=2.0, norm_type=1.0))
clip("norm3", lambda ps: U.clip_grad_norm_(ps, max_norm=1.0, norm_type=3.0))
clip("value", lambda ps: U.clip_grad_value_(ps, clip_value=0.5))

write(os.path.join(NN_GOLDEN, "optim.txt"), out, os.path.basename(__file__), SEED)
