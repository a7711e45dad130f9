"""Golden safetensors files for kindling.io (nn/src/test/resources/golden/), in both directions.

PyTorch -> Kindling: a small torch model's state_dict saved as safetensors (torch_model.safetensors),
the same tensors in golden text (safetensors.txt, format of golden_io.py), a file of F64/F16/BF16
tensors (torch_dtypes.safetensors) and a full BatchNorm state dict with its I64 num_batches_tracked
(torch_int64.safetensors), which Kindling reads, converting the counter to float.

Kindling -> PyTorch: checks kindling_written.safetensors, committed after being written by the Java
helper kindling.io.KindlingGoldenFile, byte for byte against this script's writer, then loads it
into a torch model with load_state_dict(strict=True) and prints OK.

The Python `safetensors` package is not installable here (Debian bookworm has no python3-safetensors
and PyPI is not reachable), so safetensors_io.py (beside this script) reads and writes the format with struct and json,
following the format's specification and the Rust library's serializer: compact JSON, "__metadata__"
first, tensors sorted by descending dtype alignment then by name, header padded with spaces to a
multiple of 8, then the raw little-endian data. With the package installed, replace st_save/st_load
by safetensors.torch.save/load and the checks below still hold.

Run with Debian's PyTorch: cd tools/golden && /usr/bin/python3 gen_safetensors.py
"""
import os
import sys
from collections import OrderedDict

import torch

from golden_io import ROOT, write
from safetensors_io import st_load, st_save

SEED = 0
NN_GOLDEN = os.path.join(ROOT, "nn", "src", "test", "resources", "golden")


def save(name, blob):
    with open(os.path.join(NN_GOLDEN, name), "wb") as f:
        f.write(blob)
    print("wrote nn/src/test/resources/golden/%s (%d bytes)" % (name, len(blob)))


torch.manual_seed(SEED)
os.makedirs(NN_GOLDEN, exist_ok=True)
golden = OrderedDict()

# PyTorch -> Kindling: a model whose BatchNorm has seen two batches, so its running statistics are not 0 and 1.
model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2))
with torch.no_grad():
    for _ in range(2):
        model(torch.randn(8, 4))
state = model.state_dict()
floats = OrderedDict((k, v) for k, v in state.items() if v.is_floating_point())
save("torch_model.safetensors", st_save(floats, {"format": "pt"}))
save("torch_int64.safetensors", st_save(OrderedDict(state), {"format": "pt"}))
golden.update(("model." + k, v) for k, v in floats.items())

# F64, F16 and BF16, which Kindling converts to float on load; golden values are the exact stored values.
dtypes = OrderedDict(f64=torch.randn(2, 3, dtype=torch.float64), f16=torch.randn(5).half(),
                     bf16=torch.randn(2, 2).bfloat16(), f32=torch.randn(3))
dtypes["f16"][0] = 65504.0
dtypes["f16"][1] = 2.0 ** -24
save("torch_dtypes.safetensors", st_save(dtypes))
golden.update(("dtypes." + k, v.to(torch.float32)) for k, v in dtypes.items())

# The round trip of this script's own writer and reader.
for file in ("torch_model.safetensors", "torch_dtypes.safetensors"):
    with open(os.path.join(NN_GOLDEN, file), "rb") as f:
        blob = f.read()
    loaded, _ = st_load(blob)
    assert st_save(loaded, _) == blob, file

write(os.path.join(NN_GOLDEN, "safetensors.txt"), golden, os.path.basename(__file__), SEED)

# Kindling -> PyTorch: the file kindling.io.KindlingGoldenFile wrote, with the tensors it writes.
expected = OrderedDict()
expected["0.weight"] = ((torch.arange(12.0) - 5.5) / 4).reshape(3, 4)
expected["0.bias"] = torch.tensor([0.25, -1.5, 3.0])
expected["2.weight"] = (torch.arange(6.0) * -0.125).reshape(2, 3)
expected["2.bias"] = torch.tensor([0.001, -7.0])
path = os.path.join(NN_GOLDEN, "kindling_written.safetensors")
if not os.path.exists(path):
    sys.exit("no %s yet: write it with kindling.io.KindlingGoldenFile (see its javadoc), then rerun" % path)
with open(path, "rb") as f:
    blob = f.read()
assert blob == st_save(expected, {"format": "pt"}), "Kindling's bytes differ from the safetensors serializer's"
loaded, metadata = st_load(blob)
assert metadata == {"format": "pt"}, metadata
target = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
target.load_state_dict(loaded, strict=True)
for name, value in target.state_dict().items():
    assert torch.equal(value, expected[name]), name
print("kindling_written.safetensors: OK (byte-identical to the safetensors serializer, loads into torch strictly)")
