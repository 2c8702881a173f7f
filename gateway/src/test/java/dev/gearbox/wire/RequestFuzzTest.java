package dev.gearbox.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.cache.CacheKey;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property-based fuzz of what the event loop does with a body before any provider is called: parse it as
 * a chat request and, when it parses, key it for the cache and build its upstream body. Seeded and bounded
 * by count, so a failure reproduces exactly; the corpus is random JSON (any nesting, strings of any code
 * points including lone surrogates, numbers in every spelling JSON allows and some it does not), random
 * bytes, mutated requests and requests in other encodings.
 *
 * <p>The properties: a body is a request or a 4xx {@link ApiException}, never another exception (which the
 * gateway turns into a 500); no case takes long enough to block an event loop; and a request that parses
 * goes upstream as the same JSON with only the model replaced, and reads the same top-level values from its
 * bytes as from its tree.
 */
@Timeout(120)
class RequestFuzzTest {

    private static final long SEED = 0x6AB0_13F0_2026L;
    private static final int COUNT = 3_000;
    private static final int WARM_UP = 300;
    /** The slowest case allowed: far below Vert.x's 2 s blocked-thread warning, far above honest parsing. */
    private static final long SLOWEST_ALLOWED_MS = 200;
    /** A case slower than this once is timed again, so a machine's hiccup is not taken for the case's cost. */
    private static final long RETIME_OVER_MS = 20;

    private static final List<Outcome> outcomes = new ArrayList<>();

    /** What one case did: its kind, its body, what was thrown, how long parse and key took. */
    record Outcome(int index, String kind, byte[] body, Throwable thrown, String upstreamMismatch, long nanos) {
        String describe() {
            String text = new String(body, 0, Math.min(body.length, 160), StandardCharsets.ISO_8859_1)
                    .replaceAll("[^\\x20-\\x7e]", "?");
            return "#" + index + " " + kind + " (" + body.length + " bytes) " + text;
        }
    }

    @BeforeAll
    static void runTheCorpus() {
        // Class loading and the JIT are not the gateway's blocking; they are paid before the clock starts.
        Generator warmUp = new Generator(new SplittableRandom(SEED ^ 0x5EED));
        for (int i = 0; i < WARM_UP; i++) {
            run(i, warmUp.next(i));
            if (i % 10 == 0) {
                run(i, warmUp.large());
            }
        }
        Generator generator = new Generator(new SplittableRandom(SEED));
        for (int i = 0; i < COUNT; i++) {
            outcomes.add(run(i, generator.next(i)));
        }
    }

    private static Outcome run(int index, Generator.Case c) {
        Throwable thrown = null;
        ChatRequest request = null;
        long nanos = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3 && nanos > TimeUnit.MILLISECONDS.toNanos(RETIME_OVER_MS); attempt++) {
            if (attempt > 0 || c.body().length > 16 * 1024) {
                // A collection owed to earlier cases is no cost of this one.
                System.gc();
            }
            thrown = null;
            long start = System.nanoTime();
            try {
                request = ChatRequest.parse(Buffer.buffer(c.body()));
                CacheKey.of("tenant-a", "sim-cheap", request.body());
            } catch (Throwable t) {
                thrown = t;
            }
            nanos = Math.min(nanos, System.nanoTime() - start);
        }
        String mismatch = thrown == null ? viewMismatch(c.body()) : null;
        if (mismatch == null && thrown == null) {
            mismatch = upstreamMismatch(request);
        }
        return new Outcome(index, c.kind(), c.body(), thrown, mismatch, nanos);
    }

    /**
     * Null when every top-level value read from the scanned bytes, before any tree is built, equals the parsed
     * tree's; else the first that differs.
     */
    private static String viewMismatch(byte[] body) {
        try {
            ChatRequest scanned = ChatRequest.parse(Buffer.buffer(body));
            JsonObject tree = ChatRequest.parse(Buffer.buffer(body)).body();
            for (String name : tree.fieldNames()) {
                if (!java.util.Objects.equals(scanned.field(name), tree.getValue(name))) {
                    return "field '" + name + "' read as " + abbreviate(String.valueOf(scanned.field(name)))
                            + ", not " + abbreviate(String.valueOf(tree.getValue(name)));
                }
            }
            return null;
        } catch (Throwable t) {
            return "reading its fields threw " + t;
        }
    }

    /** Null when the upstream body is the request's JSON with the model replaced; else what differs. */
    private static String upstreamMismatch(ChatRequest request) {
        JsonObject expected = new JsonObject(new LinkedHashMap<>(request.body().getMap())).put("model", "upstream-model");
        if (request.stream()) {
            JsonObject options = request.body().getValue("stream_options") instanceof JsonObject o ? o.copy() : new JsonObject();
            expected.put("stream_options", options.put("include_usage", true));
        }
        try {
            JsonObject sent = new JsonObject(request.toUpstream("upstream-model").bytes());
            if (sent.equals(expected)) {
                return null;
            }
            java.util.Set<String> names = new java.util.TreeSet<>(sent.fieldNames());
            names.addAll(expected.fieldNames());
            for (String name : names) {
                if (!java.util.Objects.equals(sent.getValue(name), expected.getValue(name))) {
                    return "field '" + name + "' went upstream as " + abbreviate(String.valueOf(sent.getValue(name)))
                            + ", not " + abbreviate(String.valueOf(expected.getValue(name)));
                }
            }
            return "sent " + abbreviate(sent.encode()) + ", expected " + abbreviate(expected.encode());
        } catch (Throwable t) {
            return "building or reading it threw " + t;
        }
    }

    @Test
    void everyBodyIsARequestOrA4xxApiExceptionNeverAnotherException() {
        List<Outcome> wrong = outcomes.stream().filter(o -> o.thrown() != null
                && !(o.thrown() instanceof ApiException api && api.status() >= 400 && api.status() < 500)).toList();

        assertThat(wrong.size()).as("cases that threw something other than a 4xx ApiException (a 500 at the gateway):\n%s",
                summary(wrong, o -> o.thrown().toString())).isZero();
        // The corpus reaches both sides of the property, or it proves nothing. Far fewer random requests parse
        // than are refused, since a number past a double's range anywhere in one makes it a 400.
        assertThat(outcomes.stream().filter(o -> o.thrown() == null).count()).isGreaterThan(COUNT / 50);
        assertThat(outcomes.stream().filter(o -> o.thrown() instanceof ApiException).count()).isGreaterThan(COUNT / 5);
    }

    @Test
    void noCaseTakesLongEnoughToBlockAnEventLoop() {
        Outcome slowest = outcomes.stream().max(java.util.Comparator.comparingLong(Outcome::nanos)).orElseThrow();
        List<Outcome> slow = outcomes.stream().filter(o -> TimeUnit.NANOSECONDS.toMillis(o.nanos()) >= SLOWEST_ALLOWED_MS).toList();
        System.out.printf("RequestFuzzTest: slowest of %d cases took %.1f ms: %s%n", COUNT, slowest.nanos() / 1e6,
                slowest.describe());

        assertThat(slow.size()).as("cases at or over %d ms:\n%s", SLOWEST_ALLOWED_MS,
                summary(slow, o -> String.format("%.1f ms", o.nanos() / 1e6))).isZero();
    }

    @Test
    void aRequestThatParsesGoesUpstreamAsTheSameJsonWithOnlyTheModelReplaced() {
        List<Outcome> wrong = outcomes.stream().filter(o -> o.upstreamMismatch() != null).toList();

        assertThat(wrong.size()).as("parsed requests whose upstream body is not their JSON:\n%s",
                summary(wrong, Outcome::upstreamMismatch)).isZero();
    }

    /** Failures grouped by what went wrong, a few examples each. */
    private static String summary(List<Outcome> cases, java.util.function.Function<Outcome, String> what) {
        Map<String, List<Outcome>> byKind = cases.stream().collect(Collectors.groupingBy(
                o -> what.apply(o).replaceAll("\\d+(\\.\\d+)? ms", "N ms").replaceAll("0x[0-9a-fA-F]+", "0x?")
                        .replaceAll("(?s)(.{0,120}).*", "$1"),
                LinkedHashMap::new, Collectors.toList()));
        StringBuilder out = new StringBuilder();
        byKind.forEach((reason, list) -> {
            out.append("  ").append(list.size()).append(" x ").append(reason).append('\n');
            Map<String, Long> kinds = list.stream().collect(Collectors.groupingBy(Outcome::kind, java.util.TreeMap::new,
                    Collectors.counting()));
            out.append("    of kinds ").append(kinds).append('\n');
            list.stream().limit(3).forEach(o -> out.append("      ").append(abbreviate(what.apply(o).replace('\n', ' ')))
                    .append("\n        in ").append(o.describe()).append('\n'));
        });
        return out.toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** Makes the corpus, one case at a time, from one seeded random source. */
    static final class Generator {

        record Case(String kind, byte[] body) {
        }

        private static final String[] FIELDS = {"model", "messages", "stream", "stream_options", "temperature", "top_p",
            "seed", "n", "max_tokens", "max_completion_tokens", "tools", "response_format", "logit_bias", "stop", "user",
            "metadata", "x_vendor", "", "\u0000", "model\u0000", "\ud800"};
        private static final String[] ROLES = {"user", "system", "assistant", "tool", "developer", "function", "root", ""};
        private static final String[] NUMBERS = {"0", "-0", "0.0", "-0.0", "1", "-1", "2", "0.5", "1e0", "1E+0", "0e0",
            "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "18446744073709551616", "1e308", "1.7976931348623157e308", "1.7976931348623159e308", "1e309", "1e400", "-1e400",
            "1E+999", "1e-400", "-1e-400", "4.9e-324", "2.4e-324", "1e-7", "0.1e1", "123456789.123456789e-3",
            "1" + "0".repeat(400), "-" + "9".repeat(500), "0." + "0".repeat(300) + "1", "1." + "5".repeat(400)};
        /** Bytes that are not UTF-8, or not in its shortest form. */
        private static final String[] BAD_UTF8 = {"c0af", "c080", "e080af", "f08080af", "eda080", "edbfbf", "eda080edb080",
            "e282", "80", "bf", "ff", "fe", "f4908080", "f8888080 80", "c3"};

        private final SplittableRandom random;

        Generator(SplittableRandom random) {
            this.random = random;
        }

        Case next(int index) {
            if (index % 60 == 59) {
                return large();
            }
            return switch (random.nextInt(6)) {
                case 0 -> new Case("random JSON value", utf8(value(0)));
                case 1, 2 -> new Case("chat request", utf8(chatRequest()));
                case 3 -> new Case("random bytes", randomBytes());
                case 4 -> new Case("mutated request", mutate(utf8(chatRequest())));
                default -> encoded();
            };
        }

        // ---- Values ----

        private String value(int depth) {
            int pick = random.nextInt(depth > 6 ? 4 : 7);
            return switch (pick) {
                case 0 -> number();
                case 1 -> string();
                case 2 -> random.nextBoolean() ? "true" : random.nextBoolean() ? "false" : "null";
                case 3 -> random.nextInt(3) == 0 ? number() : string();
                case 4, 5 -> object(depth + 1, random.nextInt(5));
                default -> array(depth + 1, random.nextInt(5));
            };
        }

        private String object(int depth, int fields) {
            StringBuilder out = new StringBuilder("{");
            for (int i = 0; i < fields; i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(random.nextInt(3) == 0 ? quote(FIELDS[random.nextInt(FIELDS.length)]) : string()).append(':')
                        .append(value(depth));
            }
            return out.append('}').toString();
        }

        private String array(int depth, int items) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < items; i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(value(depth));
            }
            return out.append(']').toString();
        }

        private String number() {
            return switch (random.nextInt(4)) {
                case 0 -> NUMBERS[random.nextInt(NUMBERS.length)];
                case 1 -> Long.toString(random.nextLong());
                case 2 -> Double.toString(Double.longBitsToDouble(random.nextLong())).replace("Infinity", "1e999")
                        .replace("NaN", "0");
                default -> (random.nextBoolean() ? "-" : "") + random.nextInt(1000) + "." + random.nextInt(1000) + "e"
                        + (random.nextBoolean() ? "-" : "+") + random.nextInt(700);
            };
        }

        /** A JSON string of random code points: ASCII, controls, BMP, astral, and lone surrogates, escaped or raw. */
        private String string() {
            int length = random.nextInt(random.nextInt(8) == 0 ? 200 : 12);
            StringBuilder out = new StringBuilder("\"");
            for (int i = 0; i < length; i++) {
                int kind = random.nextInt(10);
                if (kind < 4) {
                    char c = (char) (0x20 + random.nextInt(0x5f));
                    out.append(c == '"' || c == '\\' ? "\\" + c : String.valueOf(c));
                } else if (kind == 4) {
                    out.append(String.format("\\u%04x", random.nextInt(0x20)));
                } else if (kind == 5) {
                    out.append((char) (0xa0 + random.nextInt(0xd7ff - 0xa0)));
                } else if (kind == 6) {
                    out.appendCodePoint(0x10000 + random.nextInt(0x10ffff - 0x10000));
                } else if (kind == 7) {
                    // A lone surrogate as a JSON escape: legal JSON text, though no Unicode scalar value.
                    out.append(String.format("\\u%04x", 0xd800 + random.nextInt(0x800)));
                } else if (kind == 8) {
                    out.append(new String[] {"\\n", "\\t", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\r"}[random.nextInt(8)]);
                } else {
                    out.append((char) (0xe000 + random.nextInt(0x2000)));
                }
            }
            return out.append('"').toString();
        }

        private static String quote(String s) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.append('"').toString();
        }

        // ---- Requests ----

        /** A chat request that often parses: real fields, plausible and implausible values, extra fields. */
        private String chatRequest() {
            Map<String, String> fields = new LinkedHashMap<>();
            if (random.nextInt(5) > 0) {
                fields.put("model", random.nextInt(6) == 0 ? value(3) : quote(random.nextBoolean() ? "auto" : "sim-cheap"));
            }
            fields.put("messages", random.nextInt(12) == 0 ? value(2) : messages());
            String[] optional = {"stream", "temperature", "seed", "top_p", "n", "max_tokens", "stream_options", "tools",
                "logit_bias", "stop", "x_vendor", "metadata"};
            for (String name : optional) {
                if (random.nextInt(3) == 0) {
                    fields.put(name, fieldValue(name));
                }
            }
            for (int i = random.nextInt(3); i > 0; i--) {
                fields.put("x_" + random.nextInt(1000), value(2));
            }
            StringBuilder out = new StringBuilder("{");
            List<Map.Entry<String, String>> entries = new ArrayList<>(fields.entrySet());
            if (random.nextInt(4) == 0) {
                java.util.Collections.shuffle(entries, new java.util.Random(random.nextLong()));
            }
            if (random.nextInt(15) == 0 && !entries.isEmpty()) {
                // A key written twice: the last one wins, and the bytes are unfit for splicing.
                entries.add(entries.get(random.nextInt(entries.size())));
            }
            String space = random.nextInt(4) == 0 ? " \n\t" : "";
            for (int i = 0; i < entries.size(); i++) {
                if (i > 0) {
                    out.append(',').append(space);
                }
                out.append(space).append(quote(entries.get(i).getKey())).append(space).append(':').append(space)
                        .append(entries.get(i).getValue());
            }
            return out.append(space).append('}').toString();
        }

        private String messages() {
            StringBuilder out = new StringBuilder("[");
            int n = random.nextInt(12) == 0 ? 0 : 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.append(',');
                }
                String content = switch (random.nextInt(6)) {
                    case 0 -> "[{\"type\":\"text\",\"text\":" + string() + "}]";
                    case 1 -> value(3);
                    default -> string();
                };
                String role = random.nextInt(10) == 0 ? value(4) : quote(ROLES[random.nextInt(ROLES.length)]);
                out.append("{\"role\":").append(role).append(",\"content\":").append(content).append('}');
            }
            return out.append(']').toString();
        }

        private String fieldValue(String name) {
            if (random.nextInt(6) == 0) {
                return value(3);
            }
            return switch (name) {
                case "stream" -> random.nextBoolean() ? "true" : "false";
                case "temperature", "top_p", "seed", "n", "max_tokens" -> number();
                case "stream_options" -> "{\"include_usage\":" + (random.nextBoolean() ? "true" : "false") + "}";
                case "tools" -> "[{\"type\":\"function\",\"function\":{\"name\":" + string() + ",\"parameters\":" + object(3, 2) + "}}]";
                case "logit_bias" -> "{\"" + random.nextInt(100_000) + "\":" + number() + "}";
                case "stop" -> random.nextBoolean() ? string() : array(3, 3);
                default -> value(2);
            };
        }

        // ---- Bytes ----

        private byte[] randomBytes() {
            int length = random.nextInt(random.nextInt(10) == 0 ? 2_000 : 64);
            byte[] alphabet = "{}[]\":,0123456789.eE+- \t\ntrufalsn\\u".getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[length];
            for (int i = 0; i < length; i++) {
                int kind = random.nextInt(4);
                out[i] = kind == 0 ? (byte) random.nextInt(256) : kind == 1 ? 0 : alphabet[random.nextInt(alphabet.length)];
            }
            return out;
        }

        private byte[] mutate(byte[] body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(body);
            byte[] b = out.toByteArray();
            for (int edits = 1 + random.nextInt(4); edits > 0 && b.length > 0; edits--) {
                int at = random.nextInt(b.length);
                switch (random.nextInt(5)) {
                    case 0 -> b[at] = (byte) random.nextInt(256);
                    case 1 -> b = splice(b, at, 1, new byte[0]);
                    case 2 -> b = splice(b, at, 0, HexFormat.of().parseHex(BAD_UTF8[random.nextInt(BAD_UTF8.length)]
                            .replace(" ", "")));
                    case 3 -> b = java.util.Arrays.copyOf(b, at);
                    default -> b = splice(b, at, 0, number().getBytes(StandardCharsets.US_ASCII));
                }
            }
            return b;
        }

        /** A request whose strings hold bytes that are not UTF-8, or the whole request in another encoding. */
        private Case encoded() {
            String request = "{\"model\":\"sim-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"a@b\"}]"
                    + (random.nextBoolean() ? ",\"seed\":" + number() : "") + "}";
            int pick = random.nextInt(8);
            if (pick < 5) {
                byte[] bad = HexFormat.of().parseHex(BAD_UTF8[random.nextInt(BAD_UTF8.length)].replace(" ", ""));
                byte[] body = utf8(request);
                int at = request.indexOf('@');
                return new Case("invalid UTF-8 in a string", splice(body, at, 1, bad));
            }
            Charset charset = new Charset[] {StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE,
                Charset.forName("UTF-32BE"), Charset.forName("UTF-32LE")}[random.nextInt(4)];
            byte[] body = request.getBytes(charset);
            if (pick == 7) {
                byte[] bom = "\ufeff".getBytes(charset);
                body = splice(body, 0, 0, bom);
            }
            return new Case("request in " + charset + (pick == 7 ? " with BOM" : ""), body);
        }

        /** Every so often a big body: long arrays of numbers in a cache-key field, deep nesting, long strings. */
        Case large() {
            int pick = random.nextInt(4);
            String head = "{\"model\":\"sim-cheap\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"big\"}],";
            int size = 16 * 1024 + random.nextInt(48 * 1024);
            StringBuilder out = new StringBuilder(size + 64).append(head);
            switch (pick) {
                case 0 -> {
                    String n = new String[] {"1e308", "1.7976931348623157e308", "1e400", "-1e-400", "4.9e-324",
                        "1" + "0".repeat(300), "0." + "0".repeat(300) + "1", "0.1", "7"}[random.nextInt(9)];
                    out.append("\"x_numbers\":[");
                    while (out.length() < size) {
                        out.append(n).append(',');
                    }
                    out.append("0]}");
                    return new Case("large array of " + abbreviate(n), utf8(out.toString()));
                }
                case 1 -> {
                    int depth = 500 + random.nextInt(1_500);
                    out.append("\"x_deep\":").append("[".repeat(depth)).append("]".repeat(depth)).append('}');
                    return new Case("nested " + depth + " deep", utf8(out.toString()));
                }
                case 2 -> {
                    out.append("\"x_text\":\"");
                    while (out.length() < size) {
                        out.append("caf\u00e9 \\ud83d\\ude00 \u6570\u636e ");
                    }
                    out.append("\"}");
                    return new Case("long string", utf8(out.toString()));
                }
                default -> {
                    out.append("\"logit_bias\":{");
                    for (int i = 0; out.length() < size; i++) {
                        out.append(i > 0 ? "," : "").append('"').append(i).append("\":").append(number());
                    }
                    out.append("}}");
                    return new Case("large object of numbers", utf8(out.toString()));
                }
            }
        }

        private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
            byte[] out = new byte[b.length - remove + insert.length];
            System.arraycopy(b, 0, out, 0, at);
            System.arraycopy(insert, 0, out, at, insert.length);
            System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
            return out;
        }

        private static byte[] utf8(String json) {
            return json.getBytes(StandardCharsets.UTF_8);
        }
    }
}
