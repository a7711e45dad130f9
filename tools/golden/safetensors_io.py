"""Reads and writes the safetensors format with struct and json, for the golden scripts.

The Python `safetensors` package is not installable here (Debian bookworm has no python3-safetensors
and PyPI is not reachable), so this follows the format's specification and the Rust library's
serializer: compact JSON, "__metadata__" first, tensors sorted by descending dtype alignment then by
name, header padded with spaces to a multiple of 8, then the raw little-endian data.
gen_safetensors.py checks these functions byte for byte against files PyTorch and Kindling agree on.
"""
import json
import struct
import sys
from collections import OrderedDict

import torch

# Safetensors dtypes in increasing alignment order, as the Rust library's Dtype enum declares them.
DTYPE_ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64",
               "I64", "U64"]
TO_NAME = {torch.float16: "F16", torch.bfloat16: "BF16", torch.float32: "F32", torch.float64: "F64",
           torch.int64: "I64"}
FROM_NAME = {v: k for k, v in TO_NAME.items()}
SAME_WIDTH_INT = {torch.float16: torch.int16, torch.bfloat16: torch.int16, torch.float32: torch.int32,
                  torch.float64: torch.int64, torch.int64: torch.int64}

assert sys.byteorder == "little", "this writer emits the machine's byte order, which must be little-endian"


def raw_bytes(t):
    """The tensor's elements, row-major, in the machine's (little-endian) byte order."""
    t = t.detach().contiguous()
    return t.view(SAME_WIDTH_INT[t.dtype]).numpy().tobytes()


def st_save(tensors, metadata=None):
    """The bytes safetensors' serialize() produces for a dict name -> tensor."""
    names = sorted(tensors, key=lambda n: (-DTYPE_ORDER.index(TO_NAME[tensors[n].dtype]), n.encode("utf-8")))
    header, data, offset = OrderedDict(), [], 0
    if metadata:
        header["__metadata__"] = OrderedDict(sorted(metadata.items()))
    for name in names:
        b = raw_bytes(tensors[name])
        header[name] = OrderedDict(dtype=TO_NAME[tensors[name].dtype], shape=list(tensors[name].shape),
                                   data_offsets=[offset, offset + len(b)])
        data.append(b)
        offset += len(b)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(data)


def st_load(blob):
    """(tensors, metadata) from safetensors bytes, with the Rust reader's checks."""
    (n,) = struct.unpack("<Q", blob[:8])
    assert 8 + n <= len(blob), "header length beyond the file"
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    data, end, out = blob[8 + n:], 0, OrderedDict()
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
        begin, stop = info["data_offsets"]
        assert begin == end, "offsets not contiguous at %s" % name
        dtype = FROM_NAME[info["dtype"]]
        ints = torch.frombuffer(bytearray(data[begin:stop]), dtype=SAME_WIDTH_INT[dtype])
        out[name] = ints.view(dtype).reshape(info["shape"])
        end = stop
    assert end == len(data), "data section not fully covered"
    return out, metadata
