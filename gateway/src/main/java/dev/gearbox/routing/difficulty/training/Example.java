package dev.gearbox.routing.difficulty.training;

/**
 * One training prompt and what the strong model gained on it over the weak one.
 *
 * @param id the prompt's id, or its line number
 * @param group the benchmark or traffic group; gains are scaled and APGR reported per group
 * @param text the last user message
 * @param turns messages in the conversation
 * @param tools whether the request offered tools
 * @param systemChars the length of the system prompt
 * @param gain strong score minus weak score
 * @param heldOut whether the prompt is trained on but left out of the reported APGR (RouteLLM's contaminated prompts)
 */
public record Example(String id, String group, String text, int turns, boolean tools, int systemChars, double gain,
                      boolean heldOut) {

    public Example {
        if (!Double.isFinite(gain)) {
            throw new IllegalArgumentException("gain: " + gain + " (expected: a finite number)");
        }
    }
}
