package dev.gearbox.routing.difficulty;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The signals of the difficulty score ({@code signals.txt}): kinds of words and two-word phrases, each
 * looked up by the hash the featurizer already computes for a word, so a lookup is one probe of an open
 * addressing table and allocates nothing. A word may belong to several signals; a lookup answers them
 * all as a bit mask. Immutable and thread-safe.
 */
public final class Lexicon {

    /** One signal: its feature name and what explain calls it. */
    public record Signal(String name, String label) {
        public Signal {
            if (!name.matches("[a-z_]+")) {
                throw new IllegalArgumentException("signal name '" + name + "' (expected: lower-case letters and _)");
            }
        }
    }

    static final String RESOURCE = "/dev/gearbox/routing/difficulty/signals.txt";
    /**
     * Set beside a word's signals when a two-word phrase starts with it: most words start none, and their
     * next word's phrase lookup is skipped, which halves the lookups of a pass.
     */
    static final int STARTS_PHRASE = 1 << 31;
    private static final int PAIR_SEED = 0x27D4EB2F;

    private final List<Signal> signals;
    private final String fingerprint;
    private final int[] keys;
    private final int[] masks;
    private final int mask;
    /**
     * One bit per value of a key's low 16 bits, set for every key: most words of a prompt are in no signal,
     * and this answers so from 8 KB that stay in the first-level cache, before the table is touched.
     */
    private final long[] present = new long[1 << 10];

    private Lexicon(List<Signal> signals, String fingerprint, int[] keys, int[] masks) {
        this.signals = signals;
        this.fingerprint = fingerprint;
        this.keys = keys;
        this.masks = masks;
        this.mask = keys.length - 1;
        for (int key : keys) {
            if (key != 0) {
                present[(key & 0xFFFF) >>> 6] |= 1L << key;
            }
        }
    }

    /** The signals built into the jar. */
    public static Lexicon shipped() {
        return Shipped.LEXICON;
    }

    private static final class Shipped {
        static final Lexicon LEXICON = load();

        private static Lexicon load() {
            InputStream in = Lexicon.class.getResourceAsStream(RESOURCE);
            if (in == null) {
                throw new IllegalStateException("the jar has no " + RESOURCE);
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return parse(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Reads {@code name: label | word, two words, ...} lines; {@code #} starts a comment line. */
    static Lexicon parse(BufferedReader in) throws IOException {
        List<Signal> signals = new ArrayList<>();
        List<int[]> entries = new ArrayList<>();
        java.security.MessageDigest sha = sha256();
        String line;
        int number = 0;
        while ((line = in.readLine()) != null) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            int bar = line.indexOf('|');
            if (colon < 0 || bar < colon) {
                throw new IllegalArgumentException(RESOURCE + ": line " + number + ": expected 'name: label | words'");
            }
            if (signals.size() == 30) {
                throw new IllegalArgumentException(RESOURCE + ": line " + number + ": more than 30 signals");
            }
            int bit = 1 << signals.size();
            signals.add(new Signal(line.substring(0, colon).trim(), line.substring(colon + 1, bar).trim()));
            sha.update((signals.get(signals.size() - 1).name() + ":").getBytes(StandardCharsets.UTF_8));
            for (String phrase : line.substring(bar + 1).split(",")) {
                sha.update((phrase.trim() + ",").getBytes(StandardCharsets.UTF_8));
                int[] hashes = Featurizer.wordHashes(phrase.trim());
                if (hashes.length == 1) {
                    entries.add(new int[] {hashes[0], bit});
                } else if (hashes.length > 1) {
                    entries.add(new int[] {pairKey(hashes[hashes.length - 2], hashes[hashes.length - 1]), bit});
                    entries.add(new int[] {hashes[hashes.length - 2], STARTS_PHRASE});
                }
            }
        }
        int size = Integer.highestOneBit(Math.max(16, entries.size() * 4));
        int[] keys = new int[size];
        int[] masks = new int[size];
        for (int[] entry : entries) {
            int key = nonZero(entry[0]);
            int slot = spread(key) & (size - 1);
            while (keys[slot] != 0 && keys[slot] != key) {
                slot = (slot + 1) & (size - 1);
            }
            keys[slot] = key;
            masks[slot] |= entry[1];
        }
        return new Lexicon(List.copyOf(signals), java.util.HexFormat.of().formatHex(sha.digest(), 0, 6), keys, masks);
    }

    private static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A short hash of the signals and their words (not of comments or layout): weights trained with one
     * lexicon mean nothing with another, so a weights file records the fingerprint it was trained with.
     */
    public String fingerprint() {
        return fingerprint;
    }

    public List<Signal> signals() {
        return signals;
    }

    /**
     * The signals a word belongs to, by the featurizer's hash of it, with {@link #STARTS_PHRASE} when a
     * phrase starts with it; 0 for none.
     */
    int word(int hash) {
        return find(nonZero(hash));
    }

    /** The signals a phrase of two consecutive words belongs to; 0 for none. */
    int pair(int first, int second) {
        return find(nonZero(pairKey(first, second)));
    }

    private int find(int key) {
        if ((present[(key & 0xFFFF) >>> 6] & (1L << key)) == 0) {
            return 0;
        }
        int slot = spread(key) & mask;
        int k;
        while ((k = keys[slot]) != 0) {
            if (k == key) {
                return masks[slot];
            }
            slot = (slot + 1) & mask;
        }
        return 0;
    }

    private static int pairKey(int first, int second) {
        return (first * 0x01000193 ^ PAIR_SEED) * 31 + second;
    }

    private static int nonZero(int key) {
        return key == 0 ? 1 : key;
    }

    /** Word hashes are FNV-1a, already mixed: folding the high bits in spreads them over the table. */
    private static int spread(int h) {
        return h ^ (h >>> 15);
    }
}
