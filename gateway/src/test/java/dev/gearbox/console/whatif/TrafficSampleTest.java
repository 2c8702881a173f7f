package dev.gearbox.console.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.routing.CacheMode;
import dev.gearbox.routing.RequestFeatures;
import dev.gearbox.routing.RouteDecision;
import dev.gearbox.testing.MutableClock;
import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficSampleTest {

    private static final ModelConfig SMALL = ModelConfig.of("small", "p");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

    @Test
    void theSampleKeepsTheNewestRequestsOldestFirstAndNoTextUnlessAskedTo() {
        TrafficSample sample = TrafficSample.of(3, false, clock);
        for (int i = 1; i <= 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            route(sample, "prompt " + i);
        }

        List<TrafficSample.Sampled> recent = sample.recent();

        assertThat(recent).hasSize(3);
        assertThat(recent).extracting(TrafficSample.Sampled::atMs).isSorted();
        assertThat(recent.get(0).atMs()).isEqualTo(Instant.parse("2026-12-01T10:00:03Z").toEpochMilli());
        assertThat(recent).allSatisfy(s -> {
            assertThat(s.request().hasText()).isFalse();
            assertThat(s.route()).isEqualTo("default");
            assertThat(s.model()).isEqualTo("small");
        });
    }

    @Test
    void withPromptsOnTheHeadOfEachPromptIsKept() {
        TrafficSample sample = TrafficSample.of(10, true, clock);
        route(sample, "x".repeat(TrafficSample.TEXT_CHARS + 100));

        assertThat(sample.recent().get(0).request().lastUserMessage()).hasSize(TrafficSample.TEXT_CHARS);
    }

    @Test
    void aRequestThatWasNotRoutedByTheRulesIsNotKept() {
        TrafficSample sample = TrafficSample.of(10, false, clock);
        Exchange embeddings = Exchange.begin("r", "POST", "/v1/embeddings", MultiMap.caseInsensitiveMultiMap(), 0, sample);
        embeddings.routed(new RouteDecision("direct", SMALL, List.of(), 0, null, CacheMode.ALWAYS, null, "v"), null);

        assertThat(sample.recent()).isEmpty();
    }

    private static void route(TrafficSample sample, String prompt) {
        JsonObject body = new JsonObject().put("model", "auto").put("messages", new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", prompt)));
        Exchange exchange = Exchange.begin("r", "POST", "/v1/chat/completions", MultiMap.caseInsensitiveMultiMap(), 0, sample);
        exchange.routed(new RouteDecision("default", SMALL, List.of(), 0.001, null, CacheMode.DETERMINISTIC, null, "v"),
                RequestFeatures.of(body, MultiMap.caseInsensitiveMultiMap(), "anonymous", null, TokenCounter.shared()));
    }
}
