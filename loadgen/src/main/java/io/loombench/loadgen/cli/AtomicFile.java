package io.loombench.loadgen.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * An output file that appears whole or not at all: written to a temporary file beside it, then
 * renamed over it. A reader never sees half a report, even if the run is cut short. Missing
 * parent folders are created.
 */
final class AtomicFile implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path target;
    private final Path temporary;
    private final OutputStream out;
    private boolean committed;

    AtomicFile(Path target) throws IOException {
        this.target = target.toAbsolutePath();
        Path directory = this.target.getParent();
        Files.createDirectories(directory);
        // A random name, created new (never an existing file or link), like createTempFile, but
        // with the default permissions, so the umask decides who may read the result.
        String name = "." + this.target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp";
        this.temporary = directory.resolve(name);
        this.out = Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    OutputStream stream() {
        return out;
    }

    /** Closes the temporary file and renames it to the target. */
    void commit() throws IOException {
        out.close();
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    /** Deletes the temporary file unless it was committed. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            out.close();
            Files.deleteIfExists(temporary);
        }
    }
}
