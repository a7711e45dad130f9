"""Golden values for kindling.nn's attention: scaled dot-product attention, nn.MultiheadAttention,
nn.TransformerEncoderLayer (post-norm and norm-first, relu and gelu, masks) and a 2-layer
nn.TransformerEncoder, all in eval mode (dropout off); and a TransformerEncoderLayer's state dict saved
as safetensors (attention_encoder_layer.safetensors) with an input and the output it gives.

Every case <case> stores its parameters <case>_<path> (drawn here as randn * 0.5), its inputs, the
projection weights <case>_w (and <case>_ww for the attention weights), the outputs <case>_out (and
<case>_weights), and the gradients <case>_grad_<name> of sum(out * w) [+ sum(weights * ww)] for the
inputs and every parameter. Boolean masks are stored as 0/1 (1 = True = may not attend), float masks
as they are (-Infinity included).

The math path: PyTorch 1.13's eval-mode fast path (torch._transformer_encoder_layer_fwd,
torch._native_multi_head_attention) runs only when autograd is off or nothing requires grad. Here the
parameters and inputs require grad and grad mode is on, so every value comes from the standard
Python path (multi_head_attention_forward: q / sqrt(d), baddbmm, softmax, bmm). The script prints how
far the fast path's output is from it for the state-dict case.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_attention.py
"""
import json
import math
import os
import struct
from collections import OrderedDict

import torch
import torch.nn as nn

from golden_io import leaf, write

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NN_GOLDEN = os.path.join(ROOT, "nn", "src", "test", "resources", "golden")
SEED = 0
torch.manual_seed(SEED)
out = OrderedDict()


def randomize(name, module):
    """Parameters drawn as randn * 0.5 (so biases and LayerNorm's affine are not 0 and 1) and stored."""
    with torch.no_grad():
        for key, p in module.named_parameters():
            p.copy_(torch.randn(p.shape) * 0.5)
            out[name + "_" + key] = p.detach().clone()


def finish(name, module, inputs, y, weights=None):
    """Backpropagates sum(y * w) [+ sum(weights * ww)] and stores outputs and gradients."""
    w = torch.randn(y.shape)
    loss = (y * w).sum()
    out[name + "_w"] = w
    if weights is not None:
        ww = torch.randn(weights.shape)
        loss = loss + (weights * ww).sum()
        out[name + "_ww"] = ww
        out[name + "_weights"] = weights
    loss.backward()
    out[name + "_out"] = y
    for key, x in inputs.items():
        out[name + "_grad_" + key] = x.grad
    if module is not None:
        for key, p in module.named_parameters():
            out[name + "_grad_" + key] = p.grad.clone()


# ---- scaled dot-product attention, by the formula (PyTorch 1.13 has no F.scaled_dot_product_attention)
def sdpa(name, q, k, v, mask=None):
    q, k, v = leaf(q), leaf(k), leaf(v)
    out[name + "_q"], out[name + "_k"], out[name + "_v"] = q, k, v
    scores = (q / math.sqrt(q.shape[-1])) @ k.transpose(-2, -1)
    if mask is not None:
        out[name + "_mask"] = mask
        scores = scores + mask
    weights = torch.softmax(scores, dim=-1)
    finish(name, None, {"q": q, "k": k, "v": v}, weights @ v, weights)


def causal(n):
    return torch.triu(torch.full((n, n), float("-inf")), diagonal=1)


sdpa("sdpa_plain", torch.randn(2, 3, 4), torch.randn(2, 5, 4), torch.randn(2, 5, 3))
sdpa("sdpa_causal", torch.randn(2, 4, 4), torch.randn(2, 4, 4), torch.randn(2, 4, 3), causal(4))
sdpa("sdpa_float", torch.randn(1, 2, 3, 4), torch.randn(1, 2, 5, 4), torch.randn(1, 2, 5, 2), torch.randn(3, 5))


# ---- nn.MultiheadAttention
def mha(name, module, query, key=None, value=None, kpm=None, attn_mask=None, average=True):
    randomize(name, module)
    module.eval()
    query = leaf(query)
    inputs = OrderedDict(query=query)
    if key is None:                      # self-attention: one tensor is query, key and value
        key = value = query
    else:
        key, value = leaf(key), leaf(value)
        inputs["key"], inputs["value"] = key, value
    for k, x in inputs.items():
        out[name + "_" + k] = x
    if kpm is not None:
        out[name + "_kpm"] = kpm
    if attn_mask is not None:
        out[name + "_attn_mask"] = attn_mask
    y, weights = module(query, key, value, key_padding_mask=kpm, attn_mask=attn_mask, need_weights=True,
                        average_attn_weights=average)
    finish(name, module, inputs, y, weights)


E, L, S, N = 6, 3, 4, 2
kpm = torch.tensor([[False, False, True, True], [False, False, False, True]])
mha("mha_cross", nn.MultiheadAttention(E, 2), torch.randn(L, N, E), torch.randn(S, N, E), torch.randn(S, N, E))
mha("mha_heads", nn.MultiheadAttention(E, 3), torch.randn(L, N, E), torch.randn(S, N, E), torch.randn(S, N, E),
    average=False)
mha("mha_kpm", nn.MultiheadAttention(E, 2, batch_first=True), torch.randn(N, L, E), torch.randn(N, S, E),
    torch.randn(N, S, E), kpm=kpm)
mha("mha_causal", nn.MultiheadAttention(E, 2, batch_first=True), torch.randn(N, S, E),
    attn_mask=torch.triu(torch.ones(S, S, dtype=torch.bool), diagonal=1), average=False)
mha("mha_float_mask", nn.MultiheadAttention(E, 2), torch.randn(L, N, E), torch.randn(S, N, E), torch.randn(S, N, E),
    kpm=kpm, attn_mask=torch.randn(N * 2, L, S))
mha("mha_unbatched", nn.MultiheadAttention(E, 3), torch.randn(L, E), torch.randn(S, E), torch.randn(S, E),
    kpm=torch.tensor([False, True, False, False]), average=False)
mha("mha_nobias", nn.MultiheadAttention(E, 2, bias=False, batch_first=True), torch.randn(N, L, E),
    torch.randn(N, S, E), torch.randn(N, S, E))


# ---- nn.TransformerEncoderLayer and nn.TransformerEncoder
def encoder(name, module, src, mask=None, kpm=None):
    randomize(name, module)
    module.eval()
    src = leaf(src)
    out[name + "_x"] = src
    if mask is not None:
        out[name + "_mask"] = mask
    if kpm is not None:
        out[name + "_kpm"] = kpm
    if isinstance(module, nn.TransformerEncoder):
        y = module(src, mask=mask, src_key_padding_mask=kpm)
    else:
        y = module(src, src_mask=mask, src_key_padding_mask=kpm)
    finish(name, module, OrderedDict(x=src), y)


D, SEQ = 8, 5
kpm5 = torch.tensor([[False, False, False, True, True], [False, False, False, False, False]])
encoder("enc_post_relu", nn.TransformerEncoderLayer(D, 2, 16), torch.randn(SEQ, N, D))
encoder("enc_post_masks", nn.TransformerEncoderLayer(D, 2, 16, batch_first=True), torch.randn(N, SEQ, D),
        mask=causal(SEQ), kpm=kpm5)
encoder("enc_pre_gelu", nn.TransformerEncoderLayer(D, 4, 16, activation="gelu", batch_first=True, norm_first=True),
        torch.randn(N, SEQ, D), mask=causal(SEQ), kpm=kpm5)
encoder("enc_stack", nn.TransformerEncoder(nn.TransformerEncoderLayer(D, 2, 16, batch_first=True, norm_first=True),
                                           2, norm=nn.LayerNorm(D)), torch.randn(N, SEQ, D), mask=causal(SEQ))


# ---- a state dict saved by PyTorch: a default-initialised layer, its input and its output in eval mode
def st_save(tensors):
    """Safetensors bytes for float32 tensors (the format gen_safetensors.py writes and checks in full)."""
    header, data, offset = OrderedDict(__metadata__={"format": "pt"}), [], 0
    for name in sorted(tensors):
        b = tensors[name].detach().contiguous().view(torch.int32).numpy().tobytes()
        header[name] = OrderedDict(dtype="F32", shape=list(tensors[name].shape), data_offsets=[offset, offset + len(b)])
        data.append(b)
        offset += len(b)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(data)


layer = nn.TransformerEncoderLayer(D, 2, 16, batch_first=True).eval()
with open(os.path.join(NN_GOLDEN, "attention_encoder_layer.safetensors"), "wb") as f:
    f.write(st_save(layer.state_dict()))
x = torch.randn(N, SEQ, D)
y = layer(x, src_key_padding_mask=kpm5)           # parameters require grad: the standard path
out["state_x"], out["state_kpm"], out["state_out"] = x, kpm5, y
with torch.no_grad():
    fast = layer(x)                                # eval, no grad, batch first: the fast path
print("state dict case: fast path vs standard path, max |diff| = %.3g" % (fast - layer(x)).abs().max().item())
print(repr(layer))

write(os.path.join(NN_GOLDEN, "attention.txt"), out, "gen_attention.py", SEED)
