package dev.gearbox.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.config.Secret;
import dev.gearbox.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final Sessions sessions = Sessions.of(new Secret("ADMIN", "admin-token"), clock);

    @Test
    void aSessionHoldsUntilItExpiresEightHoursAfterSignIn() {
        Sessions.Session session = sessions.open();

        clock.advance(Sessions.TTL.minusSeconds(1));
        assertThat(sessions.verify(session.cookie())).isEqualTo(session);

        clock.advance(Duration.ofSeconds(1));
        assertThat(sessions.verify(session.cookie())).isNull();
    }

    @Test
    void aCookieWhoseExpiryOrMacWasChangedIsRefused() {
        Sessions.Session session = sessions.open();
        String[] parts = session.cookie().split("\\.");

        String later = parts[0] + "." + (Long.parseLong(parts[1]) + 86_400) + "." + parts[2];
        String otherId = "AAAAAAAAAAAAAAAAAAAAAA." + parts[1] + "." + parts[2];
        for (String forged : new String[] {later, otherId, parts[0] + "." + parts[1] + ".", "junk", "", null,
                session.cookie() + ".x"}) {
            assertThat(sessions.verify(forged)).as(String.valueOf(forged)).isNull();
        }
    }

    @Test
    void aSessionSignedOutIsRefused() {
        Sessions.Session session = sessions.open();
        Sessions.Session other = sessions.open();

        sessions.close(session);

        assertThat(sessions.verify(session.cookie())).isNull();
        assertThat(sessions.verify(other.cookie())).isEqualTo(other);
    }

    @Test
    void replicasWithTheSameAdminTokenShareSessionsAndANewTokenEndsThem() {
        Sessions.Session session = sessions.open();

        assertThat(Sessions.of(new Secret("ADMIN", "admin-token"), clock).verify(session.cookie())).isEqualTo(session);
        assertThat(Sessions.of(new Secret("ADMIN", "rotated-token"), clock).verify(session.cookie())).isNull();
        assertThat(Sessions.of(null, clock).verify(session.cookie())).as("a tokenless gateway's random key").isNull();
    }

    @Test
    void theCsrfTokenIsThatOfItsOwnSessionAndNoOther() {
        Sessions.Session one = sessions.open();
        Sessions.Session two = sessions.open();

        assertThat(sessions.csrfMatches(one, one.csrf())).isTrue();
        assertThat(sessions.csrfMatches(one, two.csrf())).isFalse();
        assertThat(sessions.csrfMatches(one, null)).isFalse();
        assertThat(one.csrf()).isNotEqualTo(one.cookie()).doesNotContain("admin-token");
    }
}
