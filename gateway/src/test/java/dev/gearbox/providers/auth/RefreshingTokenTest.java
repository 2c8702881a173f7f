package dev.gearbox.providers.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefreshingTokenTest {

    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private final MutableClock clock = new MutableClock(START);
    /** The fetches asked for, completed by the test. */
    private final List<Promise<AccessToken>> fetches = new ArrayList<>();
    private final RefreshingToken token = RefreshingToken.of(() -> {
        Promise<AccessToken> fetch = Promise.promise();
        fetches.add(fetch);
        return fetch.future();
    }, clock, Duration.ofMinutes(5));

    private static AccessToken expiringAt(String value, Instant at) {
        return new AccessToken(value, at);
    }

    @Test
    void callsWaitForTheFirstTokenAndShareOneFetch() {
        Future<AccessToken> first = token.token();
        Future<AccessToken> second = token.token();

        assertThat(fetches).hasSize(1);
        fetches.get(0).complete(expiringAt("t1", START.plusSeconds(3600)));
        assertThat(first.result().value()).isEqualTo("t1");
        assertThat(second.result().value()).isEqualTo("t1");
        assertThat(token.token().result().value()).isEqualTo("t1");
        assertThat(fetches).hasSize(1);
    }

    @Test
    void aTokenAboutToExpireIsReplacedWhileItStillServes() {
        token.token();
        fetches.get(0).complete(expiringAt("t1", START.plusSeconds(3600)));
        clock.advance(Duration.ofMinutes(56));

        Future<AccessToken> during = token.token();

        assertThat(during.result().value()).isEqualTo("t1");
        assertThat(fetches).hasSize(2);
        fetches.get(1).complete(expiringAt("t2", clock.instant().plusSeconds(3600)));
        assertThat(token.token().result().value()).isEqualTo("t2");
    }

    @Test
    void anExpiredTokenIsNeverSentACallWaitsForTheNewOne() {
        token.token();
        fetches.get(0).complete(expiringAt("t1", START.plusSeconds(3600)));
        clock.advance(Duration.ofHours(2));

        Future<AccessToken> after = token.token();

        assertThat(after.isComplete()).isFalse();
        fetches.get(1).complete(expiringAt("t2", clock.instant().plusSeconds(3600)));
        assertThat(after.result().value()).isEqualTo("t2");
    }

    @Test
    void aFailedFetchFailsTheCallsWaitingAndTheNextCallTriesAgain() {
        Future<AccessToken> first = token.token();
        fetches.get(0).fail(new IllegalStateException("token endpoint said 500"));

        assertThat(first.failed()).isTrue();
        token.token();
        assertThat(fetches).hasSize(2);
    }

    @Test
    void neverShowsTheTokenWhenPrinted() {
        assertThat(expiringAt("ya29.secret", START).toString()).doesNotContain("ya29");
    }
}
