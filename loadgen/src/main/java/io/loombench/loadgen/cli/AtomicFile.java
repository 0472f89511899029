package io.loombench.loadgen.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An output file that appears whole or not at all: written to a temporary file beside it, then
 * renamed over it. A reader never sees half a report, even if the run is cut short. Missing
 * parent folders are created.
 */
final class AtomicFile implements AutoCloseable {
    private final Path target;
    private final Path temporary;
    private final OutputStream out;
    private boolean committed;

    AtomicFile(Path target) throws IOException {
        this.target = target.toAbsolutePath();
        Path directory = this.target.getParent();
        Files.createDirectories(directory);
        // Named after the process so concurrent runs writing the same target do not collide; opened
        // like any new file (not with createTempFile's 0600), so the umask decides who may read it.
        this.temporary = directory.resolve("." + this.target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        this.out = Files.newOutputStream(temporary);
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
