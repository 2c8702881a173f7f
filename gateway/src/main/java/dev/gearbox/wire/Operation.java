package dev.gearbox.wire;

/** The API operations the gateway forwards, with their path below the provider's base URL. */
public enum Operation {
    CHAT_COMPLETIONS("/chat/completions"),
    EMBEDDINGS("/embeddings"),
    /** OpenAI's Responses API, for a provider that serves it and a client that spoke it. */
    RESPONSES("/responses"),
    MODERATIONS("/moderations"),
    /** OpenAI's legacy text completions, for a provider that serves them and a client that spoke them. */
    COMPLETIONS("/completions"),
    /** Anthropic's Messages API, below an Anthropic base URL such as {@code https://api.anthropic.com/v1}. */
    ANTHROPIC_MESSAGES("/messages");

    private final String path;

    Operation(String path) {
        this.path = path;
    }

    /** The path below the provider's base URL. */
    public String path() {
        return path;
    }
}
