package dev.gearbox.wire;

/**
 * Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF, no truncated
 * sequence. Jackson decodes an overlong {@code C0 AF} as {@code /} without a word, so bytes are checked
 * here before they are trusted. ASCII, nearly all of a JSON text, takes the fast path.
 */
public final class Utf8 {

    private Utf8() {
    }

    public static boolean valid(byte[] b) {
        return valid(b, 0, b.length);
    }

    /** Whether {@code length} bytes from {@code offset} are well-formed UTF-8. */
    public static boolean valid(byte[] b, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            c &= 0xff;
            if (c >= 0xc2 && c <= 0xdf) {
                if (i + 1 >= end || !continuation(b[i + 1])) {
                    return false;
                }
                i += 2;
            } else if (c >= 0xe0 && c <= 0xef) {
                if (i + 2 >= end || !continuation(b[i + 1]) || !continuation(b[i + 2])) {
                    return false;
                }
                int second = b[i + 1] & 0xff;
                // E0 needs A0..BF (else overlong); ED needs 80..9F (else a surrogate).
                if (c == 0xe0 && second < 0xa0 || c == 0xed && second > 0x9f) {
                    return false;
                }
                i += 3;
            } else if (c >= 0xf0 && c <= 0xf4) {
                if (i + 3 >= end || !continuation(b[i + 1]) || !continuation(b[i + 2]) || !continuation(b[i + 3])) {
                    return false;
                }
                int second = b[i + 1] & 0xff;
                // F0 needs 90..BF (else overlong); F4 needs 80..8F (else past U+10FFFF).
                if (c == 0xf0 && second < 0x90 || c == 0xf4 && second > 0x8f) {
                    return false;
                }
                i += 4;
            } else {
                // 80..C1 cannot start a sequence (C0, C1 only start overlong ones); F5..FF never occur.
                return false;
            }
        }
        return true;
    }

    private static boolean continuation(byte b) {
        return (b & 0xc0) == 0x80;
    }
}
