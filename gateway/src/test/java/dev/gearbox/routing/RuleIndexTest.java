package dev.gearbox.routing;

import static dev.gearbox.routing.RoutingFixtures.chat;
import static dev.gearbox.routing.RoutingFixtures.request;
import static dev.gearbox.routing.RoutingFixtures.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RuleIndexTest {

    private static final List<String> WORDS = List.of("prove", "Proof", "order", "reorder", "number", "step", "steps",
            "café", "x_1", "naïve", "SQL", "sql", "théorème", "42", "ß", "İstanbul", "kırmızı", "KIRMIZI");
    private static final List<String> GLUE = List.of(" ", ", ", ".", "-", "_", "\n", "'", "é", "(", "");

    @Test
    void findsTheSameRouteAsTestingEveryRouteInOrder() {
        SplittableRandom rng = new SplittableRandom(20261123);
        int matched = 0;
        for (int set = 0; set < 60; set++) {
            RoutingTable table = table(randomRoutes(rng, 1 + rng.nextInt(40)));
            for (int i = 0; i < 300; i++) {
                Call call = randomCall(rng);
                boolean concrete = rng.nextInt(4) == 0;
                Rule expected = linear(table, call.features(), concrete);
                // A fresh view of the request, so features cached by the linear scan cannot help the index.
                Rule actual = table.index().first(call.features(), concrete);
                assertThat(actual).as("routes %s, request %s", table.rules(), call).isSameAs(expected);
                if (expected != null && !expected.always()) {
                    matched++;
                }
            }
        }
        // The sample must exercise matches, not only the default route.
        assertThat(matched).isGreaterThan(2000);
    }

    @Test
    void leavesOnlyRoutesNoLookupCanSettleToBeTestedEveryTime() {
        RoutingTable table = table("""
                aliases: [auto]
                routes:
                  - {name: by-tenant, when: {tenant: [t1, t2]}, then: {tier: cheap}}
                  - {name: by-header-and-size, when: {header: {x-team: search}, prompt_tokens: {gt: 100}}, then: {tier: cheap}}
                  - {name: by-keyword, when: {last_user_message: {keywords: [prove, step by step]}}, then: {tier: reasoning}}
                  - {name: by-regex, when: {system_prompt: {regex: 'order number \\\\d+'}}, then: {tier: reasoning}}
                  - {name: either, when: {any: [{reasoning_effort: high}, {metadata: {feature: math}}]}, then: {tier: reasoning}}
                  - {name: by-size, when: {prompt_tokens: {gt: 8000}}, then: {tier: reasoning}}
                  - {name: negated, when: {not: {tenant: t3}}, then: {tier: cheap}}
                  - {name: default, then: {tier: cheap}}
                """);

        assertThat(table.index().unguardedCount()).isEqualTo(3);
    }

    private static Rule linear(RoutingTable table, RequestFeatures request, boolean concrete) {
        for (Rule rule : table.rules()) {
            if (concrete && !rule.mentionsModel()) {
                continue;
            }
            if (rule.always() || rule.when().test(request)) {
                return rule;
            }
        }
        return null;
    }

    private static String randomRoutes(SplittableRandom rng, int count) {
        StringBuilder out = new StringBuilder("aliases: [auto]\nroutes:\n");
        for (int i = 0; i < count; i++) {
            out.append("  - name: r").append(i).append("\n    when: ").append(condition(rng, 0)).append('\n')
                    .append("    then: {tier: ").append(rng.nextBoolean() ? "cheap" : "reasoning").append("}\n");
        }
        return out.append("  - {name: default, then: {tier: cheap}}\n").toString();
    }

    private static String condition(SplittableRandom rng, int depth) {
        int kind = rng.nextInt(depth > 1 ? 9 : 12);
        return switch (kind) {
            case 0 -> "{tenant: " + pick(rng, List.of("t1", "t2", "[t1, t3]", "{regex: '^t'}", "{present: true}")) + "}";
            case 1 -> "{header: {x-team: " + pick(rng, List.of("a", "b", "[a, c]", "{present: false}")) + "}}";
            case 2 -> "{metadata: {feature: " + pick(rng, List.of("math", "code", "[math, law]")) + "}}";
            case 3 -> "{reasoning_effort: " + pick(rng, List.of("high", "low")) + "}";
            case 4 -> "{model: " + pick(rng, List.of("cheap-a", "thinker", "auto", "[cheap-b, o1]")) + "}";
            case 5 -> "{" + pick(rng, List.of("last_user_message", "system_prompt")) + ": {keywords: ["
                    + keyword(rng) + (rng.nextBoolean() ? ", " + keyword(rng) : "") + "]"
                    + (rng.nextInt(4) == 0 ? ", case_sensitive: true" : "") + "}}";
            case 6 -> "{" + pick(rng, List.of("last_user_message", "system_prompt")) + ": {regex: '"
                    + pick(rng, List.of("order number \\\\d+", "step.*step", "(?i)sql", "café", "^Proof", "reorder \\\\d",
                            "(order|proof) \\\\d", "(?:steps|café)", "number|sql", "[0-9]+ step",
                            "\\\\d+ step|proof", "^\\\\d{2}", "kirmizi", "ß|ss"))
                    + "'" + (rng.nextInt(3) == 0 ? ", keywords: [" + keyword(rng) + "]" : "")
                    + (rng.nextInt(4) == 0 ? ", case_sensitive: true" : "") + "}}";
            case 7 -> "{prompt_tokens: {gt: " + rng.nextInt(40) + "}}";
            case 8 -> "{stream: " + rng.nextBoolean() + "}";
            case 9 -> "{all: [" + condition(rng, depth + 1) + ", " + condition(rng, depth + 1) + "]}";
            case 10 -> "{any: [" + condition(rng, depth + 1) + ", " + condition(rng, depth + 1) + "]}";
            default -> "{not: " + condition(rng, depth + 1) + "}";
        };
    }

    private static String keyword(SplittableRandom rng) {
        String word = pick(rng, WORDS);
        return switch (rng.nextInt(5)) {
            case 0 -> "'" + word + " " + pick(rng, WORDS) + "'";
            case 1 -> "'" + word + "-'";
            case 2 -> "'-" + word + "'";
            default -> "'" + word + "'";
        };
    }

    /** A request's parts, to build its features afresh. */
    private record Call(JsonObject body, MultiMap headers, String tenant) {
        RequestFeatures features() {
            return request(body, headers, tenant);
        }
    }

    private static Call randomCall(SplittableRandom rng) {
        JsonArray messages = new JsonArray();
        if (rng.nextBoolean()) {
            messages.add(new JsonObject().put("role", "system").put("content", text(rng)));
        }
        messages.add(new JsonObject().put("role", "user").put("content", text(rng)));
        JsonObject body = chat(rng.nextInt(3) == 0 ? pick(rng, List.of("cheap-a", "thinker", "o1")) : "auto", "")
                .put("messages", messages);
        if (rng.nextBoolean()) {
            body.put("reasoning_effort", pick(rng, List.of("high", "low", "medium")));
        }
        if (rng.nextBoolean()) {
            body.put("metadata", new JsonObject().put("feature", pick(rng, List.of("math", "law", "code", "x"))));
        }
        body.put("stream", rng.nextBoolean());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (rng.nextBoolean()) {
            headers.add("X-Team", pick(rng, List.of("a", "b", "c", "d")));
        }
        return new Call(body, headers, pick(rng, List.of("t1", "t2", "t3", "anonymous")));
    }

    private static String text(SplittableRandom rng) {
        StringBuilder out = new StringBuilder();
        for (int i = rng.nextInt(8); i >= 0; i--) {
            String word = pick(rng, WORDS);
            out.append(rng.nextInt(4) == 0 ? word.toUpperCase(java.util.Locale.ROOT) : word).append(pick(rng, GLUE));
            if (rng.nextInt(6) == 0) {
                out.append(rng.nextInt(1000));
            }
        }
        return out.toString();
    }

    private static <T> T pick(SplittableRandom rng, List<T> items) {
        return items.get(rng.nextInt(items.size()));
    }
}
