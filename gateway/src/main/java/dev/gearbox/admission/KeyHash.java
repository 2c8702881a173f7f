package dev.gearbox.admission;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * What the gateway keeps of a key: its SHA-256. A key is long and random, so a fast hash is enough; the
 * presented key is hashed before any lookup, so the time a lookup takes says nothing about the key.
 */
final class KeyHash {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "gbx-";

    private KeyHash() {
    }

    static String of(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether two hashes are equal, in time that does not depend on where they differ. */
    static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    /** A new key: 32 random bytes. */
    static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A new key id: short, random, safe to log. */
    static String newId() {
        byte[] bytes = new byte[9];
        RANDOM.nextBytes(bytes);
        return "key_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
