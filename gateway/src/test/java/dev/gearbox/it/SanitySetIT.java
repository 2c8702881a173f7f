package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shipped rules get the obvious right: every prompt of the sanity set (written for this purpose, never
 * trained on) goes through the HTTP server as a chat completion to {@code auto}, and at least 90% of those that
 * plainly need a reasoning model are answered by the reasoning tier, and at least 90% of those that plainly
 * do not by the cheap tier.
 */
@Timeout(120)
class SanitySetIT {

    private static final String SET = "/dev/gearbox/routing/sanity/sanity.jsonl";
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(TestGateway.simulatedConfig(""));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void sendsAtLeastNinetyPercentOfEachSideOfTheSanitySetToItsTier() throws IOException {
        List<JsonObject> prompts = read();
        List<String> reasoningMissed = new ArrayList<>();
        List<String> cheapMissed = new ArrayList<>();
        int reasoning = 0;
        int cheap = 0;
        for (JsonObject prompt : prompts) {
            HttpResponse<String> answer = gateway.post("/v1/chat/completions", body(prompt).encode());
            assertThat(answer.statusCode()).as(prompt.getString("id") + ": " + answer.body()).isEqualTo(200);
            String tier = answer.headers().firstValue("x-gearbox-tier").orElseThrow();
            String miss = prompt.getString("id") + " (" + prompt.getString("kind") + ", route "
                    + answer.headers().firstValue("x-gearbox-route").orElse("?") + ")";
            if (prompt.getString("label").equals("reasoning")) {
                reasoning++;
                if (!tier.equals("reasoning")) {
                    reasoningMissed.add(miss);
                }
            } else {
                cheap++;
                if (!tier.equals("cheap")) {
                    cheapMissed.add(miss);
                }
            }
        }

        assertThat(prompts).hasSizeGreaterThanOrEqualTo(300);
        assertThat(reasoning).isGreaterThanOrEqualTo(150);
        assertThat(cheap).isGreaterThanOrEqualTo(150);
        assertThat(reasoningMissed.size()).as("prompts needing reasoning sent to the cheap tier: %s", reasoningMissed)
                .isLessThanOrEqualTo(reasoning / 10);
        assertThat(cheapMissed.size()).as("plainly cheap prompts sent to the reasoning tier: %s", cheapMissed)
                .isLessThanOrEqualTo(cheap / 10);
    }

    private static JsonObject body(JsonObject prompt) {
        JsonObject body = new JsonObject().put("model", "auto");
        if (prompt.getValue("messages") instanceof JsonArray messages) {
            body.put("messages", messages);
            if (prompt.getValue("tools") instanceof JsonArray tools) {
                body.put("tools", tools);
            }
        } else {
            body.put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt.getString("prompt"))));
        }
        return body;
    }

    private static List<JsonObject> read() throws IOException {
        try (InputStream in = SanitySetIT.class.getResourceAsStream(SET)) {
            List<JsonObject> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(new JsonObject(line));
                }
            }
            return out;
        }
    }
}
