package dev.gearbox.routing.difficulty.training;

import dev.gearbox.routing.difficulty.Conversation;
import dev.gearbox.routing.difficulty.Prompt;

/**
 * One training prompt and what it teaches.
 *
 * @param id the prompt's id, or its line number
 * @param group the source or benchmark; figures are reported per group, and a large group of gains gets an expert
 * @param prompt what the score reads of the prompt: its text, or the features kept of it
 * @param label whether it needs a reasoning model, or what the strong model gained on it
 * @param weight how much the prompt counts in training, relative to others of its kind
 * @param heldOut whether the prompt is trained on but left out of the reported figures (RouteLLM's contaminated prompts)
 */
public record Example(String id, String group, Prompt prompt, Label label, double weight, boolean heldOut) {

    public Example {
        java.util.Objects.requireNonNull(prompt, "prompt");
        if (!(weight > 0 && Double.isFinite(weight))) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: > 0)");
        }
    }

    /** A single prompt with weight 1. */
    public static Example of(String id, String group, String prompt, Label label) {
        return new Example(id, group, Conversation.of(prompt), label, 1, false);
    }

    /** The length of the prompt's message, in characters: the baseline that routes the longest first. */
    public int length() {
        return prompt.length();
    }
}
