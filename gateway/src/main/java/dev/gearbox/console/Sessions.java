package dev.gearbox.console;

import dev.gearbox.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Console sessions, held in a signed cookie rather than in this process, so a console behind a load balancer
 * stays signed in whichever replica answers. The signing key is derived from the admin token: replicas with
 * the same token accept each other's sessions, and changing the token ends them all. Without a token (the
 * console then answers loopback only) the key is random, and a restart ends the sessions.
 *
 * <p>A cookie is {@code id.expiry.mac}: a random id, its expiry in epoch seconds, and an HMAC-SHA256 of both.
 * The CSRF token of a session is an HMAC of its id, so it needs no storage either, and a page can only learn
 * it by asking the session endpoint from the console's own origin. Thread-safe.
 */
public final class Sessions {

    /** How long a session lasts from sign-in, whatever happens in it. */
    static final Duration TTL = Duration.ofHours(8);
    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Ids signed out on this replica, until they would have expired anyway. */
    private final ConcurrentHashMap<String, Long> signedOut = new ConcurrentHashMap<>();

    /**
     * A signed-in session.
     *
     * @param cookie the cookie's value
     * @param csrf the token every state-changing call of this session must carry
     */
    public record Session(String id, Instant expiresAt, String cookie, String csrf) {
    }

    private Sessions(byte[] key, Clock clock) {
        this.key = new SecretKeySpec(key, HMAC);
        this.clock = clock;
    }

    /** @param adminToken the admin token the sessions are signed with, or null for a random key of this process */
    public static Sessions of(Secret adminToken, Clock clock) {
        byte[] key;
        if (adminToken == null) {
            key = new byte[32];
            new SecureRandom().nextBytes(key);
        } else {
            key = hmac(new SecretKeySpec(adminToken.value().getBytes(StandardCharsets.UTF_8), HMAC),
                    "gearbox console session key v1");
        }
        return new Sessions(key, clock);
    }

    /** Opens a session that lasts {@link #TTL}. */
    public Session open() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        return session(B64.encodeToString(id), clock.instant().plus(TTL).getEpochSecond());
    }

    /** The session of a cookie value; null when it is missing, forged, expired or signed out. */
    public Session verify(String cookie) {
        if (cookie == null || cookie.length() > 200) {
            return null;
        }
        String[] parts = cookie.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        long expires;
        try {
            expires = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return null;
        }
        Session session = session(parts[0], expires);
        // Constant-time: the cookie is the caller's guess at a MAC.
        if (!MessageDigest.isEqual(session.cookie().getBytes(StandardCharsets.UTF_8), cookie.getBytes(StandardCharsets.UTF_8))
                || expires <= clock.instant().getEpochSecond() || signedOut.containsKey(parts[0])) {
            return null;
        }
        return session;
    }

    /** Whether {@code token} is the CSRF token of {@code session}, compared in constant time. */
    public boolean csrfMatches(Session session, String token) {
        return token != null && MessageDigest.isEqual(session.csrf().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    /** Ends a session on this replica; its cookie is cleared in the browser too, so it ends there as well. */
    public void close(Session session) {
        long now = clock.instant().getEpochSecond();
        signedOut.values().removeIf(expiry -> expiry <= now);
        signedOut.put(session.id(), session.expiresAt().getEpochSecond());
    }

    private Session session(String id, long expires) {
        String signed = id + "." + expires;
        return new Session(id, Instant.ofEpochSecond(expires), signed + "." + B64.encodeToString(hmac(key, "session." + signed)),
                B64.encodeToString(hmac(key, "csrf." + id)));
    }

    private static byte[] hmac(SecretKeySpec key, String data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }
}
