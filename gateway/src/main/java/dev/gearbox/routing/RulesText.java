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
 * The text of the rule files, as read from a directory or from the jar's built-in copy.
 *
 * @param models the text of {@code models.yaml}
 * @param routes the text of {@code routes.yaml}
 * @param weights the text of {@code difficulty-weights.txt}, an operator's weights for the difficulty score,
 *                or null to route with the jar's
 * @param origin the directory, or {@code built-in}
 */
public record RulesText(String models, String routes, String weights, String origin) {

    static final String MODELS = "models.yaml";
    static final String ROUTES = "routes.yaml";
    static final String WEIGHTS = "difficulty-weights.txt";
    /** Larger than any weights train-router writes (2^22 values); a bigger file is a mistake, not weights. */
    static final long MAX_WEIGHTS_BYTES = 64L << 20;

    /** The two rule files, with the jar's weights. */
    public RulesText(String models, String routes, String origin) {
        this(models, routes, null, origin);
    }

    /** Reads the rule files of a directory, following symbolic links as Kubernetes ConfigMaps use them. */
    public static RulesText read(Path directory) {
        return new RulesText(file(directory, MODELS), file(directory, ROUTES), weights(directory), directory.toString());
    }

    /** The rules shipped inside the jar, used when no rules directory is present. */
    public static RulesText builtIn() {
        return new RulesText(resource(MODELS), resource(ROUTES), "built-in");
    }

    /** These rule files without the weights' text, which can be tens of megabytes and is kept once, compiled. */
    public RulesText withoutWeights() {
        return weights == null ? this : new RulesText(models, routes, null, origin);
    }

    /** A short hash of both files, naming this version of the rules. */
    public String version() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(models.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(routes.getBytes(StandardCharsets.UTF_8));
            if (weights != null) {
                sha.update((byte) 0);
                sha.update(weights.getBytes(StandardCharsets.UTF_8));
            }
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

    String weightsName() {
        return name(WEIGHTS);
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

    /** The operator's weights beside the rule files, or null when there are none. */
    private static String weights(Path directory) {
        Path file = directory.resolve(WEIGHTS);
        try {
            if (!Files.exists(file)) {
                return null;
            }
            if (Files.size(file) > MAX_WEIGHTS_BYTES) {
                throw new RulesException(java.util.List.of(file + ": " + Files.size(file) + " bytes (expected: at most "
                        + MAX_WEIGHTS_BYTES + ", the weights train-router writes)"));
            }
        } catch (IOException e) {
            throw new RulesException(java.util.List.of(file + ": cannot be read (" + e.getMessage() + ")"));
        }
        return file(directory, WEIGHTS);
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
