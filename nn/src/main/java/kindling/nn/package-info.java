/**
 * Layers as PyTorch's {@code torch.nn}: a {@link kindling.nn.Module} holds named parameters, buffers
 * and child modules, and computes {@code forward} by calling the functions of
 * {@code kindling.nn.functional} or tensor ops. Read {@link kindling.nn.Module} first, then
 * {@link kindling.nn.Sequential} (modules chained), {@link kindling.nn.ModuleList} (modules held for a
 * custom forward) and {@link kindling.nn.Identity}.
 *
 * <p>The families:
 * <ul>
 *   <li>linear and convolution: {@link kindling.nn.Linear}, {@link kindling.nn.Conv2d},
 *       {@link kindling.nn.ConvTranspose2d}, {@link kindling.nn.Flatten};</li>
 *   <li>pooling: {@link kindling.nn.MaxPool2d}, {@link kindling.nn.AvgPool2d}, {@link kindling.nn.AdaptiveAvgPool2d};</li>
 *   <li>normalisation and regularisation: {@link kindling.nn.BatchNorm1d}, {@link kindling.nn.BatchNorm2d},
 *       {@link kindling.nn.LayerNorm}, {@link kindling.nn.Dropout};</li>
 *   <li>activations: {@link kindling.nn.ReLU}, {@link kindling.nn.LeakyReLU}, {@link kindling.nn.GELU},
 *       {@link kindling.nn.Sigmoid}, {@link kindling.nn.Tanh}, {@link kindling.nn.Softmax},
 *       {@link kindling.nn.LogSoftmax};</li>
 *   <li>residual blocks: {@link kindling.nn.BasicBlock}, {@link kindling.nn.Bottleneck};</li>
 *   <li>embeddings and recurrent layers: {@link kindling.nn.Embedding}, {@link kindling.nn.RNN},
 *       {@link kindling.nn.LSTM}, {@link kindling.nn.GRU} and their cells;</li>
 *   <li>attention: {@link kindling.nn.MultiheadAttention}, {@link kindling.nn.PositionalEncoding},
 *       {@link kindling.nn.TransformerEncoderLayer}, {@link kindling.nn.TransformerEncoder};</li>
 *   <li>losses: {@link kindling.nn.CrossEntropyLoss}, {@link kindling.nn.NLLLoss}, {@link kindling.nn.MSELoss},
 *       {@link kindling.nn.L1Loss}, {@link kindling.nn.BCELoss}, {@link kindling.nn.BCEWithLogitsLoss},
 *       {@link kindling.nn.TripletMarginLoss};</li>
 *   <li>inspection and files: {@link kindling.nn.Summary} (parameters, MACs, shape trace),
 *       {@link kindling.nn.StateDicts}.</li>
 * </ul>
 * Initialisation schemes are in {@code kindling.nn.init}; the functional forms in {@code kindling.nn.functional};
 * the differentiable ops behind them in {@code kindling.ops}.
 *
 * <p>Parameter paths ({@code features.0.weight}), the order of {@link kindling.nn.Module#stateDict()},
 * and the layout of {@code toString()} are PyTorch's, so checkpoints and printed models can be
 * compared line by line. {@code docs/saving.md} explains state dicts and checkpoint files.
 */
package kindling.nn;
