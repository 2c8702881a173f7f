package dev.gearbox.bench;

import dev.gearbox.wire.ChatRequest;
import dev.gearbox.config.ConfigLoader;
import dev.gearbox.config.GearboxConfig;
import dev.gearbox.routing.Budget;
import dev.gearbox.routing.LatencyStats;
import dev.gearbox.routing.RequestFeatures;
import dev.gearbox.routing.RouteDecision;
import dev.gearbox.routing.Router;
import dev.gearbox.routing.RoutingTable;
import dev.gearbox.routing.RulesCompiler;
import dev.gearbox.routing.RulesText;
import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Request parse plus rule evaluation with 200 routes, none of which applies, so the default one answers.
 * Target: median rule evaluation at most 5 µs.
 *
 * <p>{@code typical} routes hinge on tenants, headers, metadata, keywords and regexes with a leading
 * literal, which the rule index settles by lookups; {@code unindexed} routes test numbers, flags and
 * negations, which no lookup settles, so every one is tested in full; {@code regexes} are 199
 * case-insensitive regexes without a leading literal, each run on the message: the worst case.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoutingBenchmark {

    static final String BODY = """
            {"model":"auto","temperature":0.7,"max_tokens":512,"user":"u-123",
             "messages":[{"role":"system","content":"You are a helpful assistant for an online shop."},
             {"role":"user","content":"Hi! I ordered a blue jacket last week and it has not arrived yet. Can you tell me \
            what usually happens with delayed parcels and whether I should contact the courier or the shop first?"}]}""";

    @Param({"typical", "unindexed", "regexes"})
    public String rules;

    private RoutingTable table;
    private Router router;
    private Buffer raw;
    private MultiMap headers;

    @Setup
    public void setUp() {
        GearboxConfig config = ConfigLoader.of(Map.of()).embeddedDefault();
        table = RulesCompiler.standalone(config, Clock.systemUTC())
                .compile(new RulesText(RulesText.builtIn().models(),
                        switch (rules) {
                    case "typical" -> routes(200);
                    case "unindexed" -> unindexedRoutes(200);
                    default -> regexRoutes(200);
                }, "benchmark"));
        router = new Router(new LatencyStats(), new SplittableRandom(1));
        raw = Buffer.buffer(BODY);
        headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json").add("x-team", "shop");
        TokenCounter.shared().count("warm up");
    }

    /** 199 routes of the kinds operators write, none of which matches the benchmark request, then a default. */
    static String routes(int count) {
        return rules(count, i -> switch (i % 5) {
            case 0 -> "{tenant: team-" + i + "}";
            case 1 -> "{last_user_message: {keywords: [topic" + i + ", subject" + i + "]}}";
            case 2 -> "{all: [{header: {x-team: team" + i + "}}, {prompt_tokens: {gt: " + (1000 + i) + "}}]}";
            case 3 -> "{any: [{reasoning_effort: high}, {metadata: {feature: f" + i + "}}]}";
            default -> "{last_user_message: {regex: 'order number \\d{" + (8 + i % 4) + "}'}}";
        });
    }

    /** 199 routes no lookup can settle, none of which matches the benchmark request, then a default. */
    static String unindexedRoutes(int count) {
        return rules(count, i -> switch (i % 5) {
            case 0 -> "{prompt_tokens: {gt: " + (4000 + i) + "}}";
            case 1 -> "{messages: {gt: " + (10 + i) + "}}";
            case 2 -> "{all: [{has_tools: true}, {max_tokens: {lt: " + (100 + i) + "}}]}";
            case 3 -> "{not: {tenant: {regex: '^anon'}}}";
            default -> "{all: [{stream: true}, {reasoning_effort: {present: true}}]}";
        });
    }

    /** 199 regexes no literal can rule out, none of which matches the benchmark request, then a default. */
    static String regexRoutes(int count) {
        return rules(count, i -> "{last_user_message: {regex: '#?\\d{" + (6 + i % 4) + "} (refund|return)'}}");
    }

    /** A routes.yaml of count - 1 routes with the given conditions, alternately reasoning and cheap, then a default. */
    private static String rules(int count, IntFunction<String> when) {
        StringBuilder out = new StringBuilder("aliases: [auto, cheap, reasoning]\nroutes:\n");
        for (int i = 0; i < count - 1; i++) {
            out.append("  - name: rule-").append(i).append("\n    when: ").append(when.apply(i)).append('\n')
                    .append("    then: {tier: ").append(i % 2 == 0 ? "reasoning" : "cheap").append("}\n");
        }
        return out.append("  - name: default\n    then: {tier: cheap}\n").toString();
    }

    @Benchmark
    public RouteDecision parseAndRoute() {
        ChatRequest request = ChatRequest.parse(raw);
        return router.route(table, RequestFeatures.of(request.body(), headers, "anonymous", null, TokenCounter.shared()), Budget.NONE);
    }

    @Benchmark
    public RouteDecision routeParsed(ParsedRequest parsed) {
        return router.route(table, RequestFeatures.of(parsed.request.body(), headers, "anonymous", null, TokenCounter.shared()),
                Budget.NONE);
    }

    /** A request parsed once, to time rule evaluation alone. */
    @State(Scope.Thread)
    public static class ParsedRequest {
        ChatRequest request;

        @Setup
        public void setUp() {
            request = ChatRequest.parse(Buffer.buffer(BODY));
        }
    }
}
