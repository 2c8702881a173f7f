package dev.gearbox.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.testing.MutableClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InMemoryResponseStoreTest {

    private final MutableClock clock = new MutableClock(java.time.Instant.ofEpochSecond(1_700_000_000));

    @Test
    void findsAResponseOnlyForItsTenant() {
        InMemoryResponseStore store = InMemoryResponseStore.of(clock, 1 << 20, Duration.ofHours(1));
        store.put("team-a", response("resp_1", 10));

        assertThat(get(store, "team-a", "resp_1")).isPresent();
        assertThat(get(store, "team-b", "resp_1")).isEmpty();
        assertThat(store.delete("team-b", "resp_1").result()).isFalse();
        assertThat(store.delete("team-a", "resp_1").result()).isTrue();
        assertThat(get(store, "team-a", "resp_1")).isEmpty();
    }

    @Test
    void forgetsAResponseAfterItsTimeToLive() {
        InMemoryResponseStore store = InMemoryResponseStore.of(clock, 1 << 20, Duration.ofMinutes(10));
        store.put("t", response("resp_1", 10));

        clock.advance(Duration.ofMinutes(9));
        assertThat(get(store, "t", "resp_1")).isPresent();
        clock.advance(Duration.ofMinutes(2));
        assertThat(get(store, "t", "resp_1")).isEmpty();
    }

    @Test
    void staysWithinItsBytes() {
        InMemoryResponseStore store = InMemoryResponseStore.of(clock, 64 * 1024, Duration.ofHours(1));
        for (int i = 0; i < 100; i++) {
            store.put("t", response("resp_" + i, 4_000));
        }

        long kept = 0;
        for (int i = 0; i < 100; i++) {
            kept += get(store, "t", "resp_" + i).map(StoredResponse::sizeBytes).orElse(0);
        }
        assertThat(kept).isPositive().isLessThanOrEqualTo(64 * 1024);
        // The oldest go first: the newest, the one a client continues next, is kept.
        assertThat(get(store, "t", "resp_99")).isPresent();
        assertThat(get(store, "t", "resp_0")).isEmpty();
    }

    @Test
    void refusesBoundsThatKeepNothing() {
        assertThatThrownBy(() -> InMemoryResponseStore.of(clock, 10, Duration.ofHours(1)))
                .hasMessage("maxBytes: 10 (expected: >= 1024)");
        assertThatThrownBy(() -> InMemoryResponseStore.of(clock, 1 << 20, Duration.ZERO))
                .hasMessage("ttl: PT0S (expected: > 0)");
    }

    private static Optional<StoredResponse> get(InMemoryResponseStore store, String tenant, String id) {
        return store.get(tenant, id).result();
    }

    private static StoredResponse response(String id, int textChars) {
        return StoredResponse.of(id, new JsonObject().put("id", id).put("text", "x".repeat(textChars)), new JsonArray());
    }
}
