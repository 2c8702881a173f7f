package dev.gearbox.providers.simulated;

import java.util.List;

/**
 * What a simulated model answers to one chat request, before it is put on the wire.
 *
 * @param id the completion id
 * @param choices one per requested choice
 * @param promptTokens tokens of the request
 * @param completionTokens tokens generated, reasoning included
 * @param reasoningTokens tokens spent thinking
 */
record SimulatedAnswer(String id, List<Choice> choices, int promptTokens, int completionTokens, int reasoningTokens) {

    /**
     * One choice.
     *
     * @param reasoning the thinking shown as {@code reasoning_content}, or null
     * @param content the answer text, or null for a tool call
     * @param toolCall the tool call, or null
     * @param finishReason {@code stop}, {@code length} or {@code tool_calls}
     */
    record Choice(String reasoning, String content, ToolCall toolCall, String finishReason) {
    }

    /** A call of one function with JSON-encoded arguments. */
    record ToolCall(String id, String name, String arguments) {
    }
}
