package kindling.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replacing a file so that a crash in the middle leaves the old file or the new one, never half of
 * one: write a temporary file beside it, force it to disk, rename it over the target.
 */
final class AtomicFiles {
    private AtomicFiles() {
    }

    /** What writes a file's bytes; {@link #write} gives it the stream of a temporary file. */
    interface ByteWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Runs {@code writer} on a new temporary file next to {@code target} (same directory, so the
     * rename cannot cross file systems), forces it to disk, and renames it over {@code target}. If
     * anything fails, the temporary file is deleted and {@code target} is untouched.
     */
    static void write(Path target, ByteWriter writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temp = createTemp(absolute);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                writer.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // Some file systems (a few network mounts) cannot rename atomically; replace as well as they can.
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** A new empty hidden file {@code .<name>.<random>.tmp} beside {@code target}, with default permissions. */
    private static Path createTemp(Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
            Path temp = target.resolveSibling("." + target.getFileName() + "." + suffix + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) {
                    throw e;
                }
            }
        }
    }
}
