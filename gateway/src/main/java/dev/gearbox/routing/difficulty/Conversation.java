package dev.gearbox.routing.difficulty;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What the difficulty score reads of a chat conversation.
 *
 * @param lastUserMessage the text of the last user message, or empty
 * @param turns the number of messages
 * @param tools whether the request offers tools
 * @param systemChars the length of the system and developer messages' text
 */
public record Conversation(String lastUserMessage, int turns, boolean tools, int systemChars) implements Prompt {

    public Conversation {
        if (lastUserMessage == null) {
            throw new IllegalArgumentException("lastUserMessage: null (expected: a text, perhaps empty)");
        }
        if (turns < 0 || systemChars < 0) {
            throw new IllegalArgumentException("turns: " + turns + ", systemChars: " + systemChars + " (expected: >= 0)");
        }
    }

    @Override
    public int length() {
        return lastUserMessage.length();
    }

    /** A single prompt, as one user message. */
    public static Conversation of(String prompt) {
        return new Conversation(prompt, 1, false, 0);
    }

    /**
     * Reads chat messages as the gateway does: the last message with role {@code user}, and the system and
     * developer messages' length. Entries that are not messages count as turns and nothing else.
     */
    public static Conversation of(JsonArray messages, boolean tools) {
        String last = "";
        int system = 0;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.getValue(i) instanceof JsonObject m) {
                Object role = m.getValue("role");
                if ("user".equals(role)) {
                    last = MessageText.of(m.getValue("content"));
                } else if ("system".equals(role) || "developer".equals(role)) {
                    system += MessageText.of(m.getValue("content")).length();
                }
            }
        }
        return new Conversation(last, messages.size(), tools, system);
    }
}
