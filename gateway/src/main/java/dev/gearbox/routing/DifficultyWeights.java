package dev.gearbox.routing;

import dev.gearbox.routing.difficulty.DifficultyModel;
import dev.gearbox.routing.difficulty.WeightsFormat;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The reasoning-need score's weights that a version of the rules routes with: the jar's, or an operator's
 * {@code difficulty-weights.txt} beside the rule files.
 *
 * @param model the score
 * @param source {@code built-in}, or the file the weights were read from
 * @param version a short hash of the weights file, or {@code built-in}
 */
public record DifficultyWeights(DifficultyModel model, String source, String version) {

    static final String BUILT_IN = "built-in";

    /** The weights shipped in the jar. */
    public static DifficultyWeights shipped() {
        return new DifficultyWeights(DifficultyModel.shipped(), BUILT_IN, BUILT_IN);
    }

    /** Reads an operator's weights; a malformed file raises {@code WeightsException} naming the file and line. */
    static DifficultyWeights read(String name, String text) {
        DifficultyModel model = WeightsFormat.read(name, new BufferedReader(new StringReader(text), 1 << 16));
        return new DifficultyWeights(model, name, hash(text));
    }

    static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
