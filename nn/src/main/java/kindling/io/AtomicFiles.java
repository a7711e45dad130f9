package kindling.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Replacing a file so that a crash in the middle leaves the old file or the new one, never half of
 * one: write a temporary file beside it, force it to disk, rename it over the target, force the
 * directory to disk.
 *
 * <p>A process killed while writing cannot delete its temporary file; the next write of the same
 * target does ({@link #removeStaleTemporaryFiles}), so interrupted saves do not pile up. Two
 * processes saving the same target at the same moment is not supported (the later rename would win
 * anyway); within one JVM, a temporary file still being written is never taken for a stale one.
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
        removeStaleTemporaryFiles(absolute);
        Path temp = createTemp(absolute);
        boolean moved = false;
        IN_PROGRESS.add(temp);
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
            try {
                if (!moved) {
                    Files.deleteIfExists(temp);
                }
            } finally {
                IN_PROGRESS.remove(temp);
            }
        }
        forceDirectory(absolute.getParent());
    }

    /** Temporary files this JVM is writing now: never removed as stale. */
    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();

    /**
     * Deletes the temporary files an interrupted write of {@code target} left behind: the names
     * {@link #createTemp} makes for this target, {@code .<name>.<hex digits>.tmp}, and nothing else.
     */
    static void removeStaleTemporaryFiles(Path target) {
        Pattern ours = Pattern.compile(Pattern.quote("." + target.getFileName() + ".") + "[0-9a-f]{1,16}\\.tmp");
        Path directory = target.getParent();
        if (!Files.isDirectory(directory)) {
            return;                                    // the write itself will report the missing directory
        }
        DirectoryStream.Filter<Path> stale = entry -> ours.matcher(entry.getFileName().toString()).matches()
                && !IN_PROGRESS.contains(entry) && Files.isRegularFile(entry);
        // Best effort: a leftover that cannot be removed (another user's, say) must not stop the save.
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, stale)) {
            for (Path entry : entries) {
                try {
                    Files.deleteIfExists(entry);
                } catch (IOException e) {
                    // left for a later save
                }
            }
        } catch (IOException e) {
            // an unreadable directory: the write itself reports what is wrong with it
        }
    }

    /**
     * Forces the directory entry of the rename to disk: on POSIX systems the new name lives in the
     * directory, and a power loss right after the rename could otherwise bring back the old file (or
     * no file at all). Some systems (Windows) cannot open a directory; there the rename is as durable
     * as the file system makes it.
     */
    private static void forceDirectory(Path directory) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(directory, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            return;
        }
        try (channel) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems refuse fsync on a directory (EINVAL); the file itself is already on disk.
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
