package dev.gearbox.config;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One model of the catalog: the name clients use, where it is served, and what it costs.
 *
 * @param id the name clients use
 * @param provider the name of the provider that serves it
 * @param upstream the model name sent upstream; defaults to {@code id}
 * @param kind chat or embeddings
 * @param tier the routing tier, such as {@code cheap} or {@code reasoning}; null for none
 * @param price list price; free when not given
 * @param contextWindow the most tokens of prompt and completion together; null when not known
 * @param capabilities what the model can do; null means not restricted
 * @param expectedOutputTokens completion tokens to expect when a request sets no limit
 * @param expectedReasoningTokens reasoning tokens to expect on top of that, for reasoning models
 * @param latency expected latency before any is observed
 * @param simulation behaviour, for models of a simulated provider
 * @param maxOutputTokens the most completion tokens the model can give; null when not known. Sent as
 *     {@code max_tokens} to APIs that require one (Anthropic's) when the request sets none
 */
public record ModelConfig(
        String id, String provider, String upstream, ModelKind kind, String tier, Pricing price, Integer contextWindow,
        Set<Capability> capabilities, Integer expectedOutputTokens, Integer expectedReasoningTokens, LatencySeed latency,
        SimulationConfig simulation, Integer maxOutputTokens) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}");
    private static final Pattern TIER = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    @JsonCreator
    public ModelConfig {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id: '" + id
                    + "' (expected: 1-128 characters of letters, digits and ._:/@-, starting with a letter or digit)");
        }
        Objects.requireNonNull(provider, "provider: missing (expected: the name of a provider)");
        upstream = upstream == null || upstream.isBlank() ? id : upstream;
        kind = kind == null ? ModelKind.CHAT : kind;
        if (tier != null && !TIER.matcher(tier).matches()) {
            throw new IllegalArgumentException("tier: '" + tier + "' (expected: a lower-case name such as cheap or reasoning)");
        }
        price = price == null ? Pricing.free() : price;
        if (contextWindow != null && contextWindow < 1) {
            throw new IllegalArgumentException("context_window: " + contextWindow + " (expected: > 0)");
        }
        capabilities = capabilities == null ? null : Set.copyOf(capabilities.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(capabilities));
        expectedOutputTokens = expectedOutputTokens == null ? 500 : expectedOutputTokens;
        if (expectedOutputTokens < 0) {
            throw new IllegalArgumentException("expected_output_tokens: " + expectedOutputTokens + " (expected: >= 0)");
        }
        expectedReasoningTokens = expectedReasoningTokens == null ? 0 : expectedReasoningTokens;
        if (expectedReasoningTokens < 0) {
            throw new IllegalArgumentException("expected_reasoning_tokens: " + expectedReasoningTokens + " (expected: >= 0)");
        }
        latency = latency == null ? new LatencySeed(null, null) : latency;
        simulation = simulation == null ? SimulationConfig.instant() : simulation;
        if (maxOutputTokens != null && maxOutputTokens < 1) {
            throw new IllegalArgumentException("max_output_tokens: " + maxOutputTokens + " (expected: > 0)");
        }
    }

    /** A model whose most completion tokens are not known. */
    public ModelConfig(
            String id, String provider, String upstream, ModelKind kind, String tier, Pricing price, Integer contextWindow,
            Set<Capability> capabilities, Integer expectedOutputTokens, Integer expectedReasoningTokens, LatencySeed latency,
            SimulationConfig simulation) {
        this(id, provider, upstream, kind, tier, price, contextWindow, capabilities, expectedOutputTokens,
                expectedReasoningTokens, latency, simulation, null);
    }

    /** A chat model with nothing but a name and a provider, as tests and simple configs declare them. */
    public static ModelConfig of(String id, String provider) {
        return new ModelConfig(id, provider, null, null, null, null, null, null, null, null, null, null);
    }

    /** The same model sent upstream under another name, such as a dated snapshot a client pinned. */
    public ModelConfig withUpstream(String name) {
        return new ModelConfig(id, provider, name, kind, tier, price, contextWindow, capabilities, expectedOutputTokens,
                expectedReasoningTokens, latency, simulation, maxOutputTokens);
    }

    /** Whether the model can do this; a model with no declared capabilities is not restricted. */
    public boolean can(Capability capability) {
        return capabilities == null || capabilities.contains(capability);
    }

    /** Whether the model thinks before answering. */
    public boolean reasons() {
        return (capabilities != null && capabilities.contains(Capability.REASONING)) || simulation.reasoning();
    }
}
