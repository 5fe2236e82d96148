package io.lanspread.download.internal.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Small files replaced whole: written beside the target, forced to disk, then renamed over it. */
final class AtomicFiles {
    private AtomicFiles() {
    }

    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    static void write(Path target, Content content) throws IOException {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
            content.writeTo(out);
            out.flush();
            channel.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw DiskErrors.writeFailed(target.getFileName().toString(), target.getParent(), e);
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(target.getParent());
    }

    /** Makes renames and creations in {@code dir} durable, where the platform can. */
    static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported everywhere (Windows); the data itself is already forced
        }
    }
}
