package dev.gearbox.admission;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.Pricing;
import dev.gearbox.wire.Request;
import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.Locale;

/**
 * The most a request may cost and use, reserved before it is sent. Only the canonical {@link Request} is
 * read, as it goes upstream (a continued conversation with its earlier turns, the output limit the gateway
 * sends), so every inbound API gets the same bound: at most one prompt token per byte of the body, plus
 * {@link #TOOL_PROMPT_TOKENS} when it has tools or a response format; at most its output limit per choice;
 * at the prices of the dearest model that may answer it (the routed model or a fallback), its prompt at the
 * dearest of that model's input prices (cache writes cost more than plain input on Anthropic).
 */
final class CostCeiling {

    /**
     * Prompt tokens a provider adds to a request with tools, beyond the request's own bytes: Anthropic's
     * tool-use system prompt is up to 346 tokens, and a JSON format goes through a forced tool there.
     */
    static final int TOOL_PROMPT_TOKENS = 500;

    private CostCeiling() {
    }

    /**
     * The worst case of one request.
     *
     * @param bodyBytes the bytes of the body sent upstream, one prompt token each at most
     * @param toolTokens the tool allowance, 0 for a request without tools
     * @param outputTokens the most output tokens, every choice together
     * @param defaultLimit whether the output limit is the gateway's default, the request having set none
     * @param priced the model whose prices give the most cost, or null when there is none
     * @param usd the most cost
     */
    record Worst(long bodyBytes, long toolTokens, long outputTokens, boolean defaultLimit, ModelConfig priced,
                 double usd) {

        Worst {
            if (bodyBytes < 0 || toolTokens < 0 || outputTokens < 0) {
                throw new IllegalArgumentException("tokens: " + bodyBytes + ", " + toolTokens + ", " + outputTokens
                        + " (expected: >= 0)");
            }
            if (!(usd >= 0)) {
                throw new IllegalArgumentException("usd: " + usd + " (expected: >= 0)");
            }
        }

        long promptTokens() {
            return bodyBytes + toolTokens;
        }

        long tokens() {
            return promptTokens() + outputTokens;
        }

        /** Why this much is reserved, as a refusal explains it. */
        String describe() {
            return String.format(Locale.ROOT, "%,d prompt tokens at most (one per byte sent upstream%s) and %,d output"
                            + " tokens (%s)%s", promptTokens(), toolTokens > 0 ? ", plus " + toolTokens + " for tools" : "",
                    outputTokens, defaultLimit ? "no max_tokens was set, so the gateway sends its default limit upstream"
                            : "the request's max_tokens", priced == null ? "" : " at " + priced.id() + "'s prices");
        }
    }

    /** The worst case of {@code request} answered by any of {@code models}, with {@code outputLimit} per choice. */
    static Worst of(Request request, List<ModelConfig> models, int outputLimit, boolean defaultLimit) {
        long tools = hasTools(request) ? TOOL_PROMPT_TOKENS : 0;
        long output = request.choices() == 0 ? 0 : (long) outputLimit * Math.max(1, request.choices());
        ModelConfig dearest = null;
        double most = 0;
        for (ModelConfig m : models) {
            double usd = cost(m.price(), request.sizeBytes() + tools, output);
            if (dearest == null || usd > most) {
                dearest = m;
                most = usd;
            }
        }
        return new Worst(request.sizeBytes(), tools, output, defaultLimit, dearest, most);
    }

    private static double cost(Pricing price, long prompt, long output) {
        double input = Math.max(price.input(), Math.max(price.cachedInput(), price.cacheWrite()));
        return (prompt * input + output * price.output()) * 1e-6;
    }

    private static boolean hasTools(Request request) {
        return request.field("tools") instanceof JsonArray tools && !tools.isEmpty()
                || request.field("response_format") != null;
    }
}
