package dev.gearbox.routing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The text of the two rule files, as read from a directory or from the jar's built-in copy.
 *
 * @param models the text of {@code models.yaml}
 * @param routes the text of {@code routes.yaml}
 * @param origin the directory, or {@code built-in}
 */
public record RulesText(String models, String routes, String origin) {

    static final String MODELS = "models.yaml";
    static final String ROUTES = "routes.yaml";

    /** Reads the rule files of a directory, following symbolic links as Kubernetes ConfigMaps use them. */
    public static RulesText read(Path directory) {
        return new RulesText(file(directory, MODELS), file(directory, ROUTES), directory.toString());
    }

    /** The rules shipped inside the jar, used when no rules directory is present. */
    public static RulesText builtIn() {
        return new RulesText(resource(MODELS), resource(ROUTES), "built-in");
    }

    /** A short hash of both files, naming this version of the rules. */
    public String version() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(models.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(routes.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String modelsName() {
        return name(MODELS);
    }

    String routesName() {
        return name(ROUTES);
    }

    private String name(String file) {
        return "built-in".equals(origin) ? "built-in " + file : Path.of(origin, file).toString();
    }

    private static String file(Path directory, String name) {
        try {
            return Files.readString(directory.resolve(name), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new RulesException(java.util.List.of(directory.resolve(name) + ": no such file"));
        } catch (IOException e) {
            // A directory where the file should be, or no permission: the operator's to fix, like a missing file.
            throw new RulesException(java.util.List.of(directory.resolve(name) + ": cannot be read ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": "
                    + e.getMessage()) + ")"));
        }
    }

    private static String resource(String name) {
        try (InputStream in = RulesText.class.getResourceAsStream("/routing-rules/" + name)) {
            if (in == null) {
                throw new IllegalStateException("built-in routing rules missing from the jar: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
