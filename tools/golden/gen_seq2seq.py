"""Golden values for kindling.nn's sequence-to-sequence modules: nn.TransformerDecoderLayer (post-norm
and norm-first, relu and gelu, causal and padding masks), a 2-layer nn.TransformerDecoder with a final
norm, nn.Transformer (all masks), d2l's additive attention (section 10.6 / 11.3.2) with a valid-length
mask; and an nn.Transformer's state dict saved as safetensors (seq2seq_transformer.safetensors) with
inputs and the output it gives. Everything in eval mode (dropout off).

Every case <case> stores its parameters <case>_<path> (drawn here as randn * 0.5), its inputs, the
projection weights <case>_w (and <case>_ww for attention weights), the output <case>_out (and <case>_weights) and the gradients <case>_grad_<name> of sum(out * w)
[+ sum(weights * ww)] for the inputs and every parameter. Boolean masks are stored as 0/1 (1 = True = may not attend), float
masks as they are (-Infinity included). Parameters and inputs require grad, so PyTorch takes its
standard Python path (no fused eval-mode kernels), as in gen_attention.py.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_seq2seq.py
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
    """Backpropagates sum(y * w) [+ sum(weights * ww)] and stores the output and the gradients."""
    w = torch.randn(y.shape)
    out[name + "_w"] = w
    loss = (y * w).sum()
    if weights is not None:
        ww = torch.randn(weights.shape)
        out[name + "_ww"] = ww
        out[name + "_weights"] = weights
        loss = loss + (weights * ww).sum()
    loss.backward()
    out[name + "_out"] = y
    for key, x in inputs.items():
        out[name + "_grad_" + key] = x.grad
    for key, p in module.named_parameters():
        out[name + "_grad_" + key] = p.grad.clone()


def causal(n):
    return nn.Transformer.generate_square_subsequent_mask(n)


def store_masks(name, masks):
    for key, m in masks.items():
        if m is not None:
            out[name + "_" + key] = m


# ---- nn.TransformerDecoderLayer and nn.TransformerDecoder
def decoder(name, module, tgt, memory, **masks):
    randomize(name, module)
    module.eval()
    tgt, memory = leaf(tgt), leaf(memory)
    out[name + "_tgt"], out[name + "_memory"] = tgt, memory
    store_masks(name, masks)
    y = module(tgt, memory, **masks)
    finish(name, module, OrderedDict(tgt=tgt, memory=memory), y)


D, T, S, N = 8, 4, 5, 2
tgt_kpm = torch.tensor([[False, False, False, True], [False, False, False, False]])
mem_kpm = torch.tensor([[False, False, False, True, True], [False, False, False, False, False]])
decoder("dec_post_relu", nn.TransformerDecoderLayer(D, 2, 16), torch.randn(T, N, D), torch.randn(S, N, D))
decoder("dec_post_masks", nn.TransformerDecoderLayer(D, 2, 16, batch_first=True), torch.randn(N, T, D),
        torch.randn(N, S, D), tgt_mask=causal(T), tgt_key_padding_mask=tgt_kpm, memory_key_padding_mask=mem_kpm)
decoder("dec_pre_gelu", nn.TransformerDecoderLayer(D, 4, 16, activation="gelu", batch_first=True, norm_first=True),
        torch.randn(N, T, D), torch.randn(N, S, D), tgt_mask=causal(T), memory_mask=torch.randn(T, S),
        memory_key_padding_mask=mem_kpm)
decoder("dec_stack", nn.TransformerDecoder(nn.TransformerDecoderLayer(D, 2, 16, batch_first=True, norm_first=True),
                                           2, norm=nn.LayerNorm(D)), torch.randn(N, T, D), torch.randn(N, S, D),
        tgt_mask=causal(T), memory_key_padding_mask=mem_kpm)


# ---- nn.Transformer
def transformer(name, module, src, tgt, **masks):
    randomize(name, module)
    module.eval()
    src, tgt = leaf(src), leaf(tgt)
    out[name + "_src"], out[name + "_tgt"] = src, tgt
    store_masks(name, masks)
    y = module(src, tgt, **masks)
    finish(name, module, OrderedDict(src=src, tgt=tgt), y)


transformer("tf_post", nn.Transformer(D, 2, 2, 2, 16), torch.randn(S, N, D), torch.randn(T, N, D),
            tgt_mask=causal(T))
transformer("tf_pre_masks", nn.Transformer(D, 2, 1, 2, 16, activation="gelu", batch_first=True, norm_first=True),
            torch.randn(N, S, D), torch.randn(N, T, D), src_mask=torch.randn(S, S), tgt_mask=causal(T),
            src_key_padding_mask=mem_kpm, tgt_key_padding_mask=tgt_kpm, memory_key_padding_mask=mem_kpm)
out["square_mask_5"] = causal(5)


# ---- additive attention, d2l's AdditiveAttention (dropout off) with masked softmax over valid lengths
class AdditiveAttention(nn.Module):
    def __init__(self, key_size, query_size, num_hiddens):
        super().__init__()
        self.W_k = nn.Linear(key_size, num_hiddens, bias=False)
        self.W_q = nn.Linear(query_size, num_hiddens, bias=False)
        self.w_v = nn.Linear(num_hiddens, 1, bias=False)

    def forward(self, queries, keys, values, valid_lens):
        queries, keys = self.W_q(queries), self.W_k(keys)
        features = torch.tanh(queries.unsqueeze(2) + keys.unsqueeze(1))        # (N, Q, K, h)
        scores = self.w_v(features).squeeze(-1)                                  # (N, Q, K)
        if valid_lens is not None:
            blocked = torch.arange(keys.shape[1])[None, None, :] >= valid_lens[:, None, None]
            scores = scores.masked_fill(blocked, float("-inf"))
        self.attention_weights = torch.softmax(scores, dim=-1)
        return torch.bmm(self.attention_weights, values)


def additive(name, module, q, k, v, valid_lens):
    randomize(name, module)
    q, k, v = leaf(q), leaf(k), leaf(v)
    out[name + "_q"], out[name + "_k"], out[name + "_v"] = q, k, v
    if valid_lens is not None:
        out[name + "_valid_lens"] = valid_lens
    y = module(q, k, v, valid_lens)
    finish(name, module, OrderedDict(q=q, k=k, v=v), y, module.attention_weights)


additive("add_masked", AdditiveAttention(3, 4, 5), torch.randn(2, 3, 4), torch.randn(2, 6, 3), torch.randn(2, 6, 2),
         torch.tensor([2, 6]))
additive("add_plain", AdditiveAttention(2, 2, 3), torch.randn(1, 1, 2), torch.randn(1, 4, 2), torch.randn(1, 4, 3),
         None)


# ---- a state dict saved by PyTorch: a default-initialised Transformer, inputs and its output in eval mode
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


model = nn.Transformer(D, 2, 2, 2, 16, batch_first=True).eval()
with open(os.path.join(NN_GOLDEN, "seq2seq_transformer.safetensors"), "wb") as f:
    f.write(st_save(model.state_dict()))
src, tgt = torch.randn(N, S, D), torch.randn(N, T, D)
y = model(src, tgt, tgt_mask=causal(T), src_key_padding_mask=mem_kpm, memory_key_padding_mask=mem_kpm)
out["tf_state_src"], out["tf_state_tgt"], out["tf_state_kpm"], out["tf_state_out"] = src, tgt, mem_kpm, y
print("state dict keys: %d, e.g. %s" % (len(model.state_dict()),
                                         [k for k in model.state_dict() if k.startswith("decoder.layers.1.multihead")][:2]))

write(os.path.join(NN_GOLDEN, "seq2seq.txt"), out, "gen_seq2seq.py", SEED)
