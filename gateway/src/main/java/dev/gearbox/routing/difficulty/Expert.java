package dev.gearbox.routing.difficulty;

/**
 * How a group's expert applies, once its gate opens: the expert's own output, plus a share of the way from
 * the shared head's output to the group's mean of it. Within a benchmark whose prompts the shared head
 * cannot tell apart (MMLU's questions all look alike to "does this need reasoning?"), its variation is noise,
 * and the expert's ranking does better alone ({@code replace} near 1); where the shared head ranks the group
 * well too (GSM8K's harder word problems read as harder), the two add up ({@code replace} near 0).
 *
 * @param group the group's name, without spaces
 * @param anchor the shared head's mean output over the group's prompts
 * @param replace how much of the shared head the expert replaces within its group, from 0 to 1
 */
public record Expert(String group, float anchor, float replace) {

    public Expert {
        if (group.isEmpty() || group.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("expert '" + group + "' (expected: a name without spaces)");
        }
        if (!Float.isFinite(anchor)) {
            throw new IllegalArgumentException("anchor: " + anchor + " (expected: a finite number)");
        }
        if (!(replace >= 0 && replace <= 1)) {
            throw new IllegalArgumentException("replace: " + replace + " (expected: from 0 to 1)");
        }
    }

    /** What the expert adds to the raw output of a request whose shared head gave {@code shared}. */
    double adds(double shared, double expert, double gate) {
        return gate * (expert + replace * (anchor - shared));
    }
}
