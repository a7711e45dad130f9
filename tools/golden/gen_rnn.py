"""Golden values for kindling.nn's recurrent layers: RNNCell (tanh, relu), LSTMCell, GRUCell (batched,
unbatched, no bias) and the sequence modules RNN, LSTM, GRU (one and two layers, bidirectional,
batch_first, given initial states, relu, no bias, unbatched, LSTM projections), plus a 2-layer LSTM's state dict saved
as safetensors (torch_lstm.safetensors) with an input and the outputs it must give.

Case <c> stores every parameter <c>_<name> (PyTorch's own init under the seed), the input <c>_x, the
initial states <c>_h0 / <c>_c0 when the case passes them, the outputs <c>_out, <c>_hn, <c>_cn (a
cell's new h is <c>_out and its new c is <c>_cn), fixed random projection weights <c>_w_<output>, and
the gradients <c>_grad_<name> of  L = sum_k sum(output_k * w_k)  for the input, the initial states
and every parameter.

Run with Debian's PyTorch: /usr/bin/python3 tools/golden/gen_rnn.py
"""
import json
import os
import struct
from collections import OrderedDict

import torch
import torch.nn as nn

from golden_io import ROOT, leaf, write

NN_GOLDEN = os.path.join(ROOT, "nn", "src", "test", "resources", "golden")
SEED = 0
torch.manual_seed(SEED)
out = OrderedDict()


def record(name, module, inputs, outputs):
    """Stores the inputs, outputs, projection weights and the gradients of sum(output * w)."""
    for key, p in module.named_parameters():
        out[name + "_" + key] = p.detach().clone()
    for key, t in inputs.items():
        out[name + "_" + key] = t.detach().clone()
    loss = 0
    for key, y in outputs.items():
        w = torch.randn(y.shape)
        out[name + "_" + key] = y.detach().clone()
        out[name + "_w_" + key] = w
        loss = loss + (y * w).sum()
    loss.backward()
    for key, t in inputs.items():
        out[name + "_grad_" + key] = t.grad.clone()
    for key, p in module.named_parameters():
        out[name + "_grad_" + key] = p.grad.clone()


def cell_case(name, cell, batch, with_state=True):
    """A cell on input (batch, in) or unbatched (in) when batch is None, from given or zero states."""
    lead = () if batch is None else (batch,)
    inputs = OrderedDict(x=leaf(torch.randn(*lead, cell.input_size)))
    if with_state:
        inputs["h0"] = leaf(torch.randn(*lead, cell.hidden_size))
        if isinstance(cell, nn.LSTMCell):
            inputs["c0"] = leaf(torch.randn(*lead, cell.hidden_size))
    if isinstance(cell, nn.LSTMCell):
        h, c = cell(inputs["x"], (inputs["h0"], inputs["c0"])) if with_state else cell(inputs["x"])
        outputs = OrderedDict(out=h, cn=c)
    else:
        outputs = OrderedDict(out=cell(inputs["x"], inputs["h0"]) if with_state else cell(inputs["x"]))
    record(name, cell, inputs, outputs)


def seq_case(name, module, x_shape, with_state=False):
    """A sequence module on an input of x_shape, from given initial states or zeros."""
    inputs = OrderedDict(x=leaf(torch.randn(*x_shape)))
    layers = module.num_layers * (2 if module.bidirectional else 1)
    batched = len(x_shape) == 3
    lstm = isinstance(module, nn.LSTM)
    h_size = module.proj_size if lstm and module.proj_size > 0 else module.hidden_size

    def state_shape(size):
        return (layers, x_shape[0 if module.batch_first else 1], size) if batched else (layers, size)

    if with_state:
        inputs["h0"] = leaf(torch.randn(*state_shape(h_size)))
        if lstm:
            inputs["c0"] = leaf(torch.randn(*state_shape(module.hidden_size)))
    if lstm:
        y, (hn, cn) = module(inputs["x"], (inputs["h0"], inputs["c0"])) if with_state else module(inputs["x"])
        outputs = OrderedDict(out=y, hn=hn, cn=cn)
    else:
        y, hn = module(inputs["x"], inputs["h0"]) if with_state else module(inputs["x"])
        outputs = OrderedDict(out=y, hn=hn)
    record(name, module, inputs, outputs)


cell_case("rnncell_tanh", nn.RNNCell(3, 4), 2)
cell_case("rnncell_relu", nn.RNNCell(3, 4, nonlinearity="relu"), 3)
cell_case("rnncell_unbatched", nn.RNNCell(3, 4), None)
cell_case("lstmcell", nn.LSTMCell(3, 4), 2)
cell_case("lstmcell_zero_state", nn.LSTMCell(3, 5), 2, with_state=False)
cell_case("lstmcell_unbatched", nn.LSTMCell(2, 3), None)
cell_case("grucell", nn.GRUCell(3, 4), 2)
cell_case("grucell_nobias", nn.GRUCell(3, 4, bias=False), 2)
cell_case("grucell_unbatched", nn.GRUCell(2, 3), None)

seq_case("rnn_tanh", nn.RNN(3, 4), (5, 2, 3))
seq_case("rnn_relu_2layers", nn.RNN(3, 4, num_layers=2, nonlinearity="relu"), (4, 2, 3), with_state=True)
seq_case("rnn_bidirectional", nn.RNN(3, 4, bidirectional=True, batch_first=True), (2, 5, 3))
seq_case("lstm", nn.LSTM(3, 4), (5, 2, 3))
seq_case("lstm_2layers_state", nn.LSTM(3, 4, num_layers=2), (4, 3, 3), with_state=True)
seq_case("lstm_batch_first", nn.LSTM(3, 4, batch_first=True), (2, 6, 3), with_state=True)
seq_case("lstm_bidirectional_2layers", nn.LSTM(3, 4, num_layers=2, bidirectional=True), (4, 2, 3), with_state=True)
seq_case("lstm_nobias", nn.LSTM(2, 3, bias=False), (3, 2, 2))
seq_case("lstm_unbatched", nn.LSTM(3, 4, num_layers=2), (5, 3), with_state=True)
seq_case("gru", nn.GRU(3, 4), (5, 2, 3))
seq_case("gru_2layers_bidirectional", nn.GRU(3, 4, num_layers=2, bidirectional=True, batch_first=True), (2, 4, 3),
         with_state=True)
seq_case("gru_unbatched", nn.GRU(3, 4), (6, 3))

# A 2-layer LSTM's state dict as PyTorch saves it, and what the model computes from it.
model = nn.LSTM(5, 4, num_layers=2, batch_first=True)
x = torch.randn(3, 6, 5)
with torch.no_grad():
    y, (hn, cn) = model(x)
out["saved_lstm_x"] = x
out["saved_lstm_out"] = y
out["saved_lstm_hn"] = hn
out["saved_lstm_cn"] = cn

# LSTMs with projections (proj_size): h_t = W_hr (o_t * tanh(c_t)), appended so the draws above stay the same.
seq_case("lstm_proj", nn.LSTM(3, 5, proj_size=2), (5, 2, 3))
seq_case("lstm_proj_2layers_bidirectional", nn.LSTM(3, 4, num_layers=2, bidirectional=True, proj_size=3,
                                                     batch_first=True), (2, 4, 3), with_state=True)
seq_case("lstm_proj_nobias_unbatched", nn.LSTM(2, 4, proj_size=1, bias=False), (3, 2), with_state=True)
write(os.path.join(NN_GOLDEN, "rnn.txt"), out, "gen_rnn.py", SEED)


def st_save_f32(tensors, metadata):
    """safetensors bytes for float32 tensors: compact JSON header (metadata first, names sorted) padded
    with spaces to a multiple of 8, then the little-endian data (gen_safetensors.py has the general writer)."""
    header, data, offset = OrderedDict(), [], 0
    header["__metadata__"] = metadata
    for key in sorted(tensors):
        raw = tensors[key].detach().contiguous().numpy().astype("<f4").tobytes()
        header[key] = OrderedDict(dtype="F32", shape=list(tensors[key].shape), data_offsets=[offset, offset + len(raw)])
        data.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(data)


path = os.path.join(NN_GOLDEN, "torch_lstm.safetensors")
with open(path, "wb") as f:
    f.write(st_save_f32(model.state_dict(), {"format": "pt"}))
print("wrote %s" % os.path.relpath(path, ROOT))
