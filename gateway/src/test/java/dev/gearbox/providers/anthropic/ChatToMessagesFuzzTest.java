package dev.gearbox.providers.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.ChatRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzz of the chat to Messages translation, which runs when an attempt builds its body: a recorded
 * chat request with one value somewhere replaced by a value of another type. A case the chat parser
 * accepts must translate or be refused with a 400, never throw anything else (a 500 to the client).
 */
class ChatToMessagesFuzzTest {

    private static final dev.gearbox.providers.UpstreamTarget MESSAGES = dev.gearbox.providers.UpstreamTarget.post("/messages", dev.gearbox.providers.Authentication.NONE);

    private static final long SEED = 0xC1A0_DE15L;
    private static final int COUNT = 2_000;
    private static final Object[] REPLACEMENTS = {null, 0, -1, 1.5, "", "x", "auto", "required", true, false,
            new JsonObject(), new JsonArray(), new JsonArray().add("s"), new JsonObject().put("type", "function"),
            new JsonObject().put("type", "text"), new JsonObject().put("type", "image_url")};

    @Test
    void aRequestTheChatParserAcceptsTranslatesOrIsRefusedWithA400() {
        SplittableRandom random = new SplittableRandom(SEED);
        String[] fixtures = {"chat-multi-turn-tools.json", "chat-thinking-round-trip.json", "chat-json-schema.json"};
        ModelConfig model = ChatToMessagesRequestTest.model("claude-sonnet-4", "claude-sonnet-4-20250514", 64000);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            JsonObject body = mutated(Fixtures.json("anthropic/" + fixtures[i % fixtures.length]), random);
            ChatRequest request;
            try {
                request = ChatRequest.parse(body.toBuffer());
            } catch (ApiException refusedByTheParser) {
                continue;
            }
            try {
                MessagesTranslator.of(MESSAGES, 0).request(request, model).bytes();
            } catch (ApiException e) {
                if (e.status() != 400) {
                    failures.add(e.status() + " for " + body.encode());
                }
            } catch (RuntimeException e) {
                failures.add(e + " for " + body.encode());
            }
        }
        assertThat(failures).isEmpty();
    }

    /** The request with one value, chosen at random at any depth, replaced. */
    private static JsonObject mutated(JsonObject request, SplittableRandom random) {
        Object node = request;
        for (int depth = 0; depth < 7; depth++) {
            if (node instanceof JsonObject o && !o.isEmpty()) {
                List<String> keys = new ArrayList<>(o.fieldNames());
                String key = keys.get(random.nextInt(keys.size()));
                Object child = o.getValue(key);
                if (random.nextInt(3) == 0 || !(child instanceof JsonObject || child instanceof JsonArray)) {
                    o.put(key, replacement(random));
                    return request;
                }
                node = child;
            } else if (node instanceof JsonArray a && !a.isEmpty()) {
                int index = random.nextInt(a.size());
                Object child = a.getValue(index);
                if (random.nextInt(3) == 0 || !(child instanceof JsonObject || child instanceof JsonArray)) {
                    a.set(index, replacement(random));
                    return request;
                }
                node = child;
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
