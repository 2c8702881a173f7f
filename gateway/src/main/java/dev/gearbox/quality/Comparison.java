package dev.gearbox.quality;

/** What a judge found of two tiers' answers to one request. */
public enum Comparison {
    CHEAP_BETTER("cheap_better", 0),
    TIE("tie", 0.5),
    REASONING_BETTER("reasoning_better", 1);

    private final String wireName;
    private final double label;

    Comparison(String wireName, double label) {
        this.wireName = wireName;
        this.label = label;
    }

    /** As meters, {@code /admin/quality} and the labels name it. */
    public String wireName() {
        return wireName;
    }

    /** How much the request needed the reasoning tier, as the trainer reads it: 1, 0 or ½. */
    public double label() {
        return label;
    }

    public static Comparison ofWire(String name) {
        for (Comparison c : values()) {
            if (c.wireName.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("verdict: '" + name + "' (expected: cheap_better, tie or reasoning_better)");
    }

    /**
     * One verdict from two judgements of the same pair with the positions swapped: the winner when they agree,
     * a tie when they do not, since then the judge's choice followed the position more than the answers.
     */
    public static Comparison combine(Comparison first, Comparison second) {
        return first == second ? first : TIE;
    }
}
