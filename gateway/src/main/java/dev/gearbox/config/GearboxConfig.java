package dev.gearbox.config;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole gateway configuration: server, providers, models and aliases.
 *
 * @param server HTTP server settings
 * @param providers providers by name
 * @param models the models clients may name
 * @param aliases extra names for models, such as {@code auto}, {@code cheap} and {@code reasoning}
 * @param defaultEmbeddingModel the model {@code /v1/embeddings} uses when a request names none
 * @param defaultModerationModel the model {@code /v1/moderations} uses when a request names none; without it,
 *     the first moderation model of the catalog whose provider is configured
 * @param rules where the routing rules are
 * @param resilience timeouts, retries, breakers and bulkheads of model deployments
 * @param cost how savings are counted
 * @param cache the response cache
 * @param telemetry traces
 * @param state where keys, limits and spend live
 * @param teams the teams of the config file and their policies
 * @param quality shadow judging, feedback and their log; null without a {@code quality} section, which leaves them off
 */
public record GearboxConfig(
        ServerConfig server, Map<String, ProviderConfig> providers, List<ModelConfig> models,
        Map<String, String> aliases, String defaultEmbeddingModel, String defaultModerationModel, RulesConfig rules,
        ResilienceConfig resilience, CostConfig cost, CacheConfig cache, TelemetryConfig telemetry, StateConfig state,
        List<TeamConfig> teams, QualityConfig quality, ConsoleConfig console) {

    public GearboxConfig {
        server = server == null ? ServerConfig.defaults() : server;
        providers = providers == null ? Map.of() : Map.copyOf(providers);
        models = models == null ? List.of() : List.copyOf(models);
        aliases = aliases == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
        rules = rules == null ? RulesConfig.defaults() : rules;
        resilience = resilience == null ? ResilienceConfig.none() : resilience;
        cost = cost == null ? CostConfig.none() : cost;
        cache = cache == null ? CacheConfig.defaults() : cache;
        telemetry = telemetry == null ? TelemetryConfig.none() : telemetry;
        state = state == null ? StateConfig.defaults() : state;
        teams = teams == null ? List.of() : List.copyOf(teams);
        console = console == null ? ConsoleConfig.defaults() : console;
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("providers: empty (expected: at least one provider)");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < models.size(); i++) {
            ModelConfig m = models.get(i);
            if (!ids.add(m.id())) {
                throw new IllegalArgumentException("models[" + i + "].id: '" + m.id() + "' is listed twice (expected: unique ids)");
            }
            if (!providers.containsKey(m.provider())) {
                throw new IllegalArgumentException("models[" + i + "].provider: '" + m.provider()
                        + "' (expected: one of " + providers.keySet().stream().sorted().toList() + ")");
            }
        }
        Set<String> teamIds = new HashSet<>();
        for (int i = 0; i < teams.size(); i++) {
            if (!teamIds.add(teams.get(i).id())) {
                throw new IllegalArgumentException("teams[" + i + "].id: '" + teams.get(i).id()
                        + "' is listed twice (expected: unique ids)");
            }
        }
        if (state.redis() != null) {
            checkStoreTimeout(state.redis().timeoutMs(), resilience);
        }
        for (String alias : aliases.keySet()) {
            if (ids.contains(alias)) {
                throw new IllegalArgumentException("aliases." + alias + ": the alias is also a model id (expected: a distinct name)");
            }
        }
    }

    /**
     * A store call is made before the upstream call, inside the request's deadline: a store that does not
     * answer must be known as such (and the fail mode answer) while the request still has time.
     */
    private static void checkStoreTimeout(long timeoutMs, ResilienceConfig resilience) {
        long shortest = ResiliencePolicy.DEFAULTS.with(resilience.defaults()).totalTimeoutMs();
        for (String model : resilience.models().keySet()) {
            shortest = Math.min(shortest, resilience.policyFor(model).totalTimeoutMs());
        }
        if (timeoutMs >= shortest) {
            throw new IllegalArgumentException("state.redis.timeout_ms: " + timeoutMs
                    + " (expected: < the shortest resilience total_timeout_ms, " + shortest + ")");
        }
    }

    /** This config reading its routing rules from another directory. */
    /** Every secret value of the config (provider keys, inbound keys, the admin token): never to reach a client. */
    public java.util.List<String> secrets() {
        java.util.List<String> secrets = new java.util.ArrayList<>();
        providers().values().forEach(p -> p.secrets().forEach(s -> secrets.add(s.value())));
        server().apiKeys().forEach(k -> secrets.add(k.key().value()));
        if (server().adminToken() != null) {
            secrets.add(server().adminToken().value());
        }
        return secrets;
    }

    public GearboxConfig withRulesDirectory(String directory) {
        return new GearboxConfig(server, providers, models, aliases, defaultEmbeddingModel, defaultModerationModel,
                new RulesConfig(directory, rules.reloadIntervalMs()), resilience, cost, cache, telemetry, state, teams, quality, console);
    }

    /** This config with another server port. */
    public GearboxConfig withPort(int port) {
        return new GearboxConfig(server.withPort(port), providers, models, aliases, defaultEmbeddingModel, defaultModerationModel,
                rules, resilience, cost, cache, telemetry, state, teams, quality, console);
    }
}
