"""Golden values for kindling.nn's residual blocks BasicBlock and Bottleneck.

torchvision is not installed here (Debian bookworm ships python3-torch without it), so the two
blocks below are torchvision's (torchvision/models/resnet.py, v0.14) copied with their defaults
(groups 1, base width 64, dilation 1, BatchNorm2d): same child names, same order, same maths.
The projection shortcut `downsample` = Sequential(conv1x1(stride), BatchNorm2d) is built as
torchvision's ResNet._make_layer builds it, when the stride is not 1 or the channels change.

For each case <case> the block's parameters are drawn, two training batches set its running
statistics, and its whole state dict (num_batches_tracked as int64) is saved as
resnet_<case>.safetensors. Then, into resnet.txt: the input <case>_x; the output in eval mode
<case>_out_eval; in train mode the output <case>_out and the gradients <case>_grad_x and
<case>_grad_<parameter> of sum(out * <case>_w); and the running statistics after that training pass,
<case>_after_<buffer>.
Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_resnet.py
"""
import os
from collections import OrderedDict

import torch
import torch.nn as nn

from golden_io import ROOT, leaf, write
from safetensors_io import st_save

NN_GOLDEN = os.path.join(ROOT, "nn", "src", "test", "resources", "golden")
SEED = 0
torch.manual_seed(SEED)
out = OrderedDict()


def conv3x3(in_planes, out_planes, stride=1):
    return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=1, bias=False)


def conv1x1(in_planes, out_planes, stride=1):
    return nn.Conv2d(in_planes, out_planes, kernel_size=1, stride=stride, bias=False)


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        return self.relu(out + identity)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        width = planes
        self.conv1 = conv1x1(inplanes, width)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = conv3x3(width, width, stride)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = conv1x1(width, planes * self.expansion)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        return self.relu(out + identity)


def block(kind, inplanes, planes, stride):
    """The block as ResNet._make_layer makes it: a projection shortcut when stride or channels change."""
    downsample = None
    if stride != 1 or inplanes != planes * kind.expansion:
        downsample = nn.Sequential(conv1x1(inplanes, planes * kind.expansion, stride),
                                   nn.BatchNorm2d(planes * kind.expansion))
    return kind(inplanes, planes, stride, downsample)


def case(name, b, x):
    with torch.no_grad():
        for key, p in b.named_parameters():
            if key.endswith("weight") and p.dim() == 1:            # BatchNorm's gamma around 1
                p.copy_(1 + 0.2 * torch.randn(p.shape))
            else:
                p.copy_(torch.randn(p.shape) * (0.2 if p.dim() == 1 else 0.5))
        b.train()
        for _ in range(2):
            b(torch.randn(x.shape) * 1.5 + 0.3)
    with open(os.path.join(NN_GOLDEN, "resnet_%s.safetensors" % name), "wb") as f:
        f.write(st_save(OrderedDict(b.state_dict()), {"format": "pt"}))
    out[name + "_x"] = x
    b.eval()
    with torch.no_grad():
        out[name + "_out_eval"] = b(x)
    b.train()
    xl = leaf(x)
    y = b(xl)
    w = torch.randn(y.shape)
    (y * w).sum().backward()
    out[name + "_w"] = w
    out[name + "_out"] = y
    out[name + "_grad_x"] = xl.grad
    for key, p in b.named_parameters():
        out[name + "_grad_" + key] = p.grad.clone()
    for key, v in b.named_buffers():
        if "running" in key:
            out[name + "_after_" + key] = v.clone()


case("basic_identity", block(BasicBlock, 4, 4, 1), torch.randn(2, 4, 5, 5))
case("basic_projection", block(BasicBlock, 4, 6, 2), torch.randn(2, 4, 6, 5))
case("bottleneck_identity", block(Bottleneck, 8, 2, 1), torch.randn(2, 8, 4, 4))
case("bottleneck_projection", block(Bottleneck, 4, 2, 2), torch.randn(2, 4, 5, 6))

write(os.path.join(NN_GOLDEN, "resnet.txt"), out, os.path.basename(__file__), SEED)

if __name__ == "__main__":
    print(block(BasicBlock, 64, 128, 2))
    print(block(Bottleneck, 256, 64, 1))
