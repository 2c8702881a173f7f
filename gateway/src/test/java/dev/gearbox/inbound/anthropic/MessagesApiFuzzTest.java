package dev.gearbox.inbound.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Fixtures;
import dev.gearbox.wire.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzz of {@code /v1/messages} parsing: a recorded request with one value somewhere replaced by a
 * value of another type, or its bytes cut or flipped. Each case must parse or be refused with a 400, never
 * throw anything else (which the gateway would answer with a 500).
 */
class MessagesApiFuzzTest {

    private static final long SEED = 0x15_A17_0C1AL;
    private static final int COUNT = 2_000;
    private static final Object[] REPLACEMENTS = {null, 0, -1, 1.5, 1e308, "", "x", true, new JsonObject(), new JsonArray(),
            new JsonArray().add(1), new JsonObject().put("type", "text"), Long.MAX_VALUE};

    @Test
    void aMalformedRequestIsParsedOrRefusedWithA400NeverAnotherFailure() {
        SplittableRandom random = new SplittableRandom(SEED);
        String fixture = Fixtures.text("anthropic-inbound/messages-request.json");
        MessagesApi api = MessagesApi.create();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            Buffer body = i % 4 == 0 ? mangledBytes(fixture, random) : Buffer.buffer(mutated(new JsonObject(fixture), random).encode());
            try {
                api.parse(body);
            } catch (ApiException e) {
                if (e.status() != 400) {
                    failures.add(e.status() + " for " + body);
                }
            } catch (RuntimeException e) {
                failures.add(e + " for " + body);
            }
        }
        assertThat(failures).isEmpty();
    }

    private static Buffer mangledBytes(String fixture, SplittableRandom random) {
        byte[] bytes = fixture.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (random.nextBoolean()) {
            return Buffer.buffer().appendBytes(bytes, 0, random.nextInt(bytes.length));
        }
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        return Buffer.buffer(bytes);
    }

    /** The request with one value, chosen at random at any depth, replaced. */
    private static JsonObject mutated(JsonObject request, SplittableRandom random) {
        Object node = request;
        for (int depth = 0; depth < 6; depth++) {
            if (node instanceof JsonObject o && !o.isEmpty()) {
                List<String> keys = new ArrayList<>(o.fieldNames());
                String key = keys.get(random.nextInt(keys.size()));
                if (random.nextInt(3) == 0 || !(o.getValue(key) instanceof JsonObject || o.getValue(key) instanceof JsonArray)) {
                    o.put(key, replacement(random));
                    return request;
                }
                node = o.getValue(key);
            } else if (node instanceof JsonArray a && !a.isEmpty()) {
                int index = random.nextInt(a.size());
                if (random.nextInt(3) == 0 || !(a.getValue(index) instanceof JsonObject || a.getValue(index) instanceof JsonArray)) {
                    a.set(index, replacement(random));
                    return request;
                }
                node = a.getValue(index);
            } else {
                return request;
            }
        }
        return request;
    }

    private static Object replacement(SplittableRandom random) {
        Object value = REPLACEMENTS[random.nextInt(REPLACEMENTS.length)];
        return value instanceof JsonObject o ? o.copy() : value instanceof JsonArray a ? a.copy() : value;
    }
}
