package dev.gearbox.cache;

import dev.gearbox.wire.Operation;
import dev.gearbox.wire.Request;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
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

    /**
     * The key of a request as the client sent it: a request in another API than the canonical one is keyed
     * on the client's own body, since a provider that speaks that API is sent all of it, not only what the
     * canonical form holds.
     */
    public static CacheKey of(String tenant, Request request, String model) {
        return request.nativeRequest()
                .map(origin -> of(tenant, request.operation(), origin.format().name(), model, origin.body()))
                .orElseGet(() -> of(tenant, request.operation(), null, model, request.body()));
    }

    /** The key of a request of any operation; two operations never share a key. */
    public static CacheKey of(String tenant, Operation operation, String model, JsonObject body) {
        return of(tenant, operation, null, model, body);
    }

    private static CacheKey of(String tenant, Operation operation, String format, String model, JsonObject body) {
        Writer out = new Writer(sha256());
        out.text("tenant");
        out.text(tenant);
        if (operation != Operation.CHAT_COMPLETIONS) {
            out.text("operation");
            out.text(operation.name());
        }
        if (format != null) {
            out.text("format");
            out.text(format);
        }
        out.text("model");
        out.text(model);
        List<String> names = new ArrayList<>(body.fieldNames());
        Collections.sort(names);
        for (String name : names) {
            if (!IGNORED.contains(name)) {
                out.text(name);
                out.value(body.getValue(name));
            }
        }
        return new CacheKey(HexFormat.of().formatHex(out.digest()), model);
    }

    /**
     * Writes the canonical form into the digest through a buffer, so a body of a million small values costs
     * a few thousand digest calls, not millions. Each number costs the same whatever its magnitude: an
     * integer (or a double holding a whole number below 2^53, so 0 and 0.0 agree) as its 64 bits, any other
     * double as its exact bits. Decimal text would cost more the larger the number: 1e308 written out
     * takes 309 digits, and even Java 17's shortest form builds big integers for it.
     */
    private static final class Writer {
        private final MessageDigest sha;
        private final byte[] buffer = new byte[8192];
        private int length;

        Writer(MessageDigest sha) {
            this.sha = sha;
        }

        void value(Object value) {
            if (value == null) {
                tag('n');
            } else if (value instanceof JsonObject o) {
                tag('{');
                List<String> names = new ArrayList<>(o.fieldNames());
                Collections.sort(names);
                for (String name : names) {
                    text(name);
                    value(o.getValue(name));
                }
                tag('}');
            } else if (value instanceof JsonArray a) {
                tag('[');
                for (int i = 0; i < a.size(); i++) {
                    value(a.getValue(i));
                }
                tag(']');
            } else if (value instanceof Number n) {
                number(n);
            } else if (value instanceof Boolean b) {
                tag(b ? 't' : 'f');
            } else {
                tag('"');
                text(value.toString());
            }
        }

        private void number(Number n) {
            if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
                tag('#');
                bits(n.longValue());
            } else if (n instanceof BigInteger big) {
                if (big.bitLength() < 64) {
                    tag('#');
                    bits(big.longValue());
                } else {
                    tag('B');
                    text(big.toString());
                }
            } else if (n instanceof BigDecimal decimal) {
                // Only answers keep numbers past a double's range; a request with one was refused.
                tag('D');
                text(decimal.toString());
            } else {
                double d = n.doubleValue();
                if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) {
                    tag('#');
                    bits((long) d);
                } else {
                    tag('d');
                    bits(Double.doubleToLongBits(d));
                }
            }
        }

        /** Length-prefixed, so "ab"+"c" and "a"+"bc" differ. */
        void text(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            int n = bytes.length;
            room(4);
            buffer[length++] = (byte) (n >>> 24);
            buffer[length++] = (byte) (n >>> 16);
            buffer[length++] = (byte) (n >>> 8);
            buffer[length++] = (byte) n;
            if (n > buffer.length - length) {
                flush();
                sha.update(bytes);
            } else {
                System.arraycopy(bytes, 0, buffer, length, n);
                length += n;
            }
        }

        private void tag(char c) {
            room(1);
            buffer[length++] = (byte) c;
        }

        private void bits(long v) {
            room(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buffer[length++] = (byte) (v >>> shift);
            }
        }

        private void room(int bytes) {
            if (length + bytes > buffer.length) {
                flush();
            }
        }

        private void flush() {
            sha.update(buffer, 0, length);
            length = 0;
        }

        byte[] digest() {
            flush();
            return sha.digest();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
