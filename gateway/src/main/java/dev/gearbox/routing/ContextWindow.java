package dev.gearbox.routing;

import dev.gearbox.config.ModelConfig;
import java.util.Comparator;
import java.util.List;

/**
 * Whether a model's context window holds a request: its prompt and the completion it asks for. Unlike tools
 * or JSON mode, which a model may still manage, a request longer than the window is refused by every
 * provider, so the router never sends one and refuses as OpenAI does ({@code context_length_exceeded}).
 */
final class ContextWindow {

    private ContextWindow() {
    }

    /** Why the model cannot hold the request; null when it can, or when its window is not known. */
    static String tooLong(ModelConfig m, RequestFeatures request) {
        // The cheap bound first: the tokenizer runs only for a prompt that may not fit.
        if (m.contextWindow() == null || request.promptTokensUpperBound() + completion(request) <= m.contextWindow()) {
            return null;
        }
        long needed = needed(request);
        return needed > m.contextWindow() ? "context window " + m.contextWindow() + " < " + needed + " tokens needed" : null;
    }

    /** The refusal of a request none of {@code candidates} can hold, naming the largest window among them. */
    static RoutingException exceeded(List<ModelConfig> candidates, RequestFeatures request, String asked) {
        ModelConfig largest = candidates.stream().max(Comparator.comparingInt(ModelConfig::contextWindow)).orElseThrow();
        return new RoutingException(RoutingException.Kind.CONTEXT_LENGTH_EXCEEDED, asked, "This model's maximum context "
                + "length is " + largest.contextWindow() + " tokens (" + largest.id() + "). However, your request needs "
                + needed(request) + " tokens (" + request.promptTokens() + " in the messages, " + completion(request)
                + " in the completion). Please reduce the length of the messages or completion.");
    }

    private static long needed(RequestFeatures request) {
        return (long) request.promptTokens() + completion(request);
    }

    private static long completion(RequestFeatures request) {
        return request.maxTokens() == null ? 0 : request.maxTokens();
    }
}
