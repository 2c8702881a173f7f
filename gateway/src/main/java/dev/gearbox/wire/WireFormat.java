package dev.gearbox.wire;

/**
 * A client API whose requests are not in the canonical form, chat completions. Its inbound API translates
 * each request to the canonical form for the pipeline and keeps the original, so a provider that speaks the
 * same API natively is sent the client's own request (with only the model replaced) instead of a
 * translation of a translation.
 */
public enum WireFormat {
    /** OpenAI's Responses API, {@code POST /v1/responses}. */
    OPENAI_RESPONSES,
    /** OpenAI's legacy text completions, {@code POST /v1/completions}. */
    OPENAI_COMPLETIONS,
    /** Anthropic's Messages API, {@code POST /v1/messages}. */
    ANTHROPIC_MESSAGES
}
