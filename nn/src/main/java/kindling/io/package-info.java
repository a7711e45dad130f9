/**
 * Reading and writing tensors on disk. {@link kindling.io.SafeTensors} is the class to read first:
 * the safetensors format ({@code docs/saving.md}), which PyTorch and Hugging Face use for checkpoints,
 * read with a small JSON reader that never runs code, and written atomically (temporary file, then
 * rename). {@code kindling.nn.Module#save} and {@code #load} build on it.
 */
package kindling.io;
