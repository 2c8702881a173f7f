package dev.gearbox.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Replaces a file's text whole: a crash mid-write leaves the last good file, never half of one. */
public final class AtomicFile {

    private AtomicFile() {
    }

    /**
     * @param setting the config key the file comes from, so a failure names what the operator wrote
     * @throws UncheckedIOException when the file cannot be written
     */
    public static void write(Path file, String text, String setting) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(setting + ": cannot write " + file, e);
        }
    }
}
