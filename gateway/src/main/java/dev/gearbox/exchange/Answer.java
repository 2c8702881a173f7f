package dev.gearbox.exchange;

/**
 * What flows back up the pipeline, in the canonical form (OpenAI's): a whole body, or a stream of chunk
 * events. The provider's own bytes travel in it untouched when they are already in that form; a stage
 * that wants structure reads it lazily.
 */
public sealed interface Answer permits WholeAnswer, AnswerStream {
}
