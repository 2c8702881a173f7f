package dev.gearbox.routing.difficulty;

/**
 * What the score reads of a request: a conversation's text, or the features the text gave, kept when the
 * text itself may not be ({@link FeatureRow}). Both train and score alike.
 */
public sealed interface Prompt permits Conversation, FeatureRow {

    /** The length of the message the features come from, in characters. */
    int length();
}
