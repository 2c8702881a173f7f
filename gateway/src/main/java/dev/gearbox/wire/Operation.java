package dev.gearbox.wire;

/**
 * What a client asked the gateway for, whichever API it spoke: the operation routing, caching and pricing
 * tell apart. Where a call goes upstream is its translator's business ({@code providers/UpstreamTarget}).
 */
public enum Operation {
    /** A chat completion, canonical for chat completions, Responses, legacy completions and Messages alike. */
    CHAT_COMPLETIONS,
    EMBEDDINGS,
    MODERATIONS
}
