package dev.gearbox.inbound.responses;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.inbound.InboundApi;
import dev.gearbox.inbound.completions.CompletionsApi;
import dev.gearbox.responses.ResponseEventStream;
import dev.gearbox.responses.ResponseObject;
import dev.gearbox.testing.Fixtures;
import dev.gearbox.wire.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzz of the Responses and completions request translators: valid requests with one value, at any
 * depth, replaced by random JSON. Each must parse or be a 400 {@link ApiException} with a message, never
 * another exception (which would be a 500); and a request that parses renders any answer without throwing.
 */
class ResponsesFuzzTest {

    private static final long SEED = 0x2E5F_0145_2026L;
    private static final int COUNT = 4_000;

    @Test
    void aMutatedRequestIsARequestOrA400() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<JsonObject> seeds = List.of(
                Fixtures.json("responses/request-function-tool.json"),
                Fixtures.json("responses/request-text.json"),
                new JsonObject("""
                        {"model":"auto","instructions":"x","stream":true,"max_output_tokens":5,"metadata":{"a":"b"},
                         "reasoning":{"effort":"low","summary":"auto"},"tool_choice":{"type":"function","name":"f"},
                         "text":{"format":{"type":"json_schema","name":"n","schema":{"type":"object"}},"verbosity":"low"},
                         "input":[{"role":"user","content":[{"type":"input_text","text":"a"},{"type":"input_image","image_url":"u"}]},
                                  {"type":"function_call","call_id":"c","name":"f","arguments":"{}"},
                                  {"type":"function_call_output","call_id":"c","output":[{"type":"input_text","text":"o"}]}]}"""));
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        for (int i = 0; i < COUNT; i++) {
            JsonObject body = seeds.get(random.nextInt(seeds.size())).copy();
            mutate(body, random);
            boolean completions = random.nextInt(4) == 0;
            InboundApi api = completions ? CompletionsApi.create() : ResponsesApi.create();
            if (completions) {
                body.put("prompt", random.nextBoolean() ? "p" : randomValue(random, 2));
            }
            try {
                api.parse(body.toBuffer());
                parsed++;
                if (!completions) {
                    ResponseObject.of("resp_1", body, Fixtures.json("openai/tool-call.json"));
                    ResponseEventStream.of("resp_1", body, e -> { }).done();
                }
            } catch (ApiException e) {
                if (e.status() != 400 || e.getMessage() == null || e.getMessage().isBlank()) {
                    failures.add("#" + i + " " + e.status() + " " + body.encode());
                }
            } catch (RuntimeException e) {
                failures.add("#" + i + " " + e + " " + body.encode());
            }
        }

        assertThat(failures).isEmpty();
        assertThat(parsed).as("requests that still parsed").isBetween(COUNT / 20, COUNT - COUNT / 20);
    }

    private static void mutate(Object node, SplittableRandom random) {
        if (node instanceof JsonObject object && !object.isEmpty()) {
            List<String> names = new ArrayList<>(object.fieldNames());
            String name = names.get(random.nextInt(names.size()));
            if (random.nextInt(3) == 0 || !(object.getValue(name) instanceof JsonObject || object.getValue(name) instanceof JsonArray)) {
                object.put(name, randomValue(random, 3));
            } else {
                mutate(object.getValue(name), random);
            }
        } else if (node instanceof JsonArray array && !array.isEmpty()) {
            int index = random.nextInt(array.size());
            if (random.nextInt(3) == 0 || !(array.getValue(index) instanceof JsonObject || array.getValue(index) instanceof JsonArray)) {
                array.set(index, randomValue(random, 3));
            } else {
                mutate(array.getValue(index), random);
            }
        }
    }

    private static Object randomValue(SplittableRandom random, int depth) {
        switch (random.nextInt(depth > 0 ? 9 : 6)) {
            case 0: return null;
            case 1: return random.nextBoolean();
            case 2: return random.nextInt(-3, 300);
            case 3: return random.nextDouble() * 1e6 - 5e5;
            case 4: return new String[] {"", "auto", "user", "function", "message", "web_search", "input_text", "json_schema", "high", "x"}[random.nextInt(10)];
            case 5: return Long.MAX_VALUE;
            case 6: case 7: {
                JsonArray array = new JsonArray();
                for (int i = random.nextInt(3); i > 0; i--) {
                    array.add(randomValue(random, depth - 1));
                }
                return array;
            }
            default: {
                JsonObject object = new JsonObject();
                String[] names = {"type", "role", "content", "text", "name", "call_id", "arguments", "output", "format", "schema", "effort"};
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.put(names[random.nextInt(names.length)], randomValue(random, depth - 1));
                }
                return object;
            }
        }
    }

}
