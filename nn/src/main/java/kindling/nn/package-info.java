/**
 * Layers as PyTorch's {@code torch.nn}: a {@link kindling.nn.Module} holds named parameters, buffers
 * and child modules, and computes {@code forward}. Read {@link kindling.nn.Module} first, then
 * {@link kindling.nn.Sequential} (modules chained), {@link kindling.nn.ModuleList} (modules held for a
 * custom forward) and {@link kindling.nn.Identity}.
 *
 * <p>Parameter paths ({@code features.0.weight}), the order of {@link kindling.nn.Module#stateDict()},
 * and the layout of {@code toString()} are PyTorch's, so checkpoints and printed models can be
 * compared line by line. {@code docs/saving.md} explains state dicts and checkpoint files.
 */
package kindling.nn;
