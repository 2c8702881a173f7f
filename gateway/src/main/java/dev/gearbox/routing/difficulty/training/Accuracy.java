package dev.gearbox.routing.difficulty.training;

/**
 * How a group of labelled prompts fares at the score's midpoint, 0.5.
 *
 * @param reasoning prompts labelled as needing reasoning (target at least 0.5)
 * @param reasoningAbove the share of those scored above 0.5
 * @param cheap prompts labelled as not needing it (target below 0.5)
 * @param cheapAtOrBelow the share of those scored at or below 0.5
 */
public record Accuracy(int reasoning, double reasoningAbove, int cheap, double cheapAtOrBelow) {
}
