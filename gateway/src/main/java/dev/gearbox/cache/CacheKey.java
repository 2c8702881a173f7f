package dev.gearbox.cache;

import dev.gearbox.wire.Operation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The cache key of a chat request: a SHA-256 of its canonical form.
 *
 * <p>The canonical form holds the tenant (so tenants never share an entry), the model that answers, and
 * every field that changes the output, with object keys sorted and numbers written one way ({@code 0}
 * and {@code 0.0} are equal), so JSON key order and number spelling do not matter. Fields that do not
 * change the output ({@code stream}, {@code stream_options}, {@code user}, {@code metadata},
 * {@code store}) are left out. Written straight into the digest, without building a string.
 *
 * @param hash the hex digest
 * @param model the model id that answers, kept to evict one model's entries
 */
public record CacheKey(String hash, String model) {

    /** Fields that change nothing the model generates. */
    static final Set<String> IGNORED = Set.of("model", "stream", "stream_options", "user", "metadata", "store",
            "service_tier");

    /** The key of a chat completion request. */
    public static CacheKey of(String tenant, String model, JsonObject body) {
        return of(tenant, Operation.CHAT_COMPLETIONS, model, body);
    }

    /** The key of a request of any operation; two operations never share a key. */
    public static CacheKey of(String tenant, Operation operation, String model, JsonObject body) {
        MessageDigest sha = sha256();
        update(sha, "tenant");
        update(sha, tenant);
        if (operation != Operation.CHAT_COMPLETIONS) {
            update(sha, "operation");
            update(sha, operation.name());
        }
        update(sha, "model");
        update(sha, model);
        List<String> names = new ArrayList<>(body.fieldNames());
        Collections.sort(names);
        for (String name : names) {
            if (!IGNORED.contains(name)) {
                update(sha, name);
                write(sha, body.getValue(name));
            }
        }
        return new CacheKey(HexFormat.of().formatHex(sha.digest()), model);
    }

    private static void write(MessageDigest sha, Object value) {
        if (value == null) {
            sha.update((byte) 'n');
        } else if (value instanceof JsonObject o) {
            sha.update((byte) '{');
            List<String> names = new ArrayList<>(o.fieldNames());
            Collections.sort(names);
            for (String name : names) {
                update(sha, name);
                write(sha, o.getValue(name));
            }
            sha.update((byte) '}');
        } else if (value instanceof JsonArray a) {
            sha.update((byte) '[');
            for (Object item : a) {
                write(sha, item);
            }
            sha.update((byte) ']');
        } else if (value instanceof Number n) {
            sha.update((byte) '#');
            update(sha, canonical(n));
        } else if (value instanceof Boolean b) {
            sha.update((byte) (b ? 't' : 'f'));
        } else {
            sha.update((byte) '"');
            update(sha, value.toString());
        }
    }

    private static String canonical(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            return Long.toString(n.longValue());
        }
        double d = n.doubleValue();
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /** Length-prefixed, so "ab"+"c" and "a"+"bc" differ. */
    private static void update(MessageDigest sha, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int n = bytes.length;
        sha.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        sha.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
