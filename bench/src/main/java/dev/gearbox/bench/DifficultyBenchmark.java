package dev.gearbox.bench;

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
import dev.gearbox.routing.difficulty.DifficultyModel;
import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reasoning-need score on a 500-token prompt (about 1,900 characters of a maths word problem with
 * its working): {@code score} is the scorer alone; {@code route} is the whole decision by the built-in
 * rules, whose {@code auto} route asks for the score, and {@code routeWithoutScore} the same rules without
 * that route. Target: p99 under 50 µs for the decision.
 * Run with {@code -prof gc} for the allocation per decision.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DifficultyBenchmark {

    public static final String PROMPT = ("A bakery sells 145 loaves of bread on Monday at $3.50 each, and on Tuesday it sells 20% "
            + "more loaves than on Monday, but at a price that is $0.25 lower per loaf. On Wednesday the bakery is closed "
            + "for repairs, which cost $212.40 in total. On Thursday it sells half as many loaves as on Tuesday at the "
            + "Monday price. What is the bakery's profit over the four days if each loaf costs $1.20 to make? Show your "
            + "working step by step, and explain each calculation so a student can follow it.\n").repeat(4);

    private DifficultyModel model;
    private RoutingTable table;
    private RoutingTable withoutScore;
    private Router router;
    private JsonObject body;

    @Setup
    public void setUp() {
        model = DifficultyModel.shipped();
        GearboxConfig config = ConfigLoader.of(Map.of()).embeddedDefault();
        table = RulesCompiler.standalone(config, Clock.systemUTC()).compile(RulesText.builtIn());
        RulesText builtIn = RulesText.builtIn();
        String routes = builtIn.routes();
        int learned = routes.indexOf("  - name: needs-reasoning");
        if (learned < 0) {
            throw new IllegalStateException("the built-in rules have no needs-reasoning route");
        }
        String rest = routes.substring(learned);
        withoutScore = RulesCompiler.standalone(config, Clock.systemUTC()).compile(new RulesText(builtIn.models(),
                routes.substring(0, learned) + rest.substring(rest.indexOf("\n\n") + 2), "without the score"));
        router = new Router(new LatencyStats(), new SplittableRandom(1));
        body = new JsonObject().put("model", "auto").put("messages", new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", PROMPT)));
        int tokens = TokenCounter.shared().count(PROMPT);
        if (tokens < 450 || tokens > 550) {
            throw new IllegalStateException("the benchmark prompt has " + tokens + " tokens (expected: about 500)");
        }
    }

    @Benchmark
    public double score() {
        return model.score(PROMPT);
    }

    /** The same rules without the learned route: what the decision costs when nothing asks for the score. */
    @Benchmark
    public RouteDecision routeWithoutScore() {
        return router.route(withoutScore, RequestFeatures.of(body, MultiMap.caseInsensitiveMultiMap(), "anonymous", null,
                TokenCounter.shared()), Budget.NONE);
    }

    @Benchmark
    public RouteDecision route() {
        return router.route(table, RequestFeatures.of(body, MultiMap.caseInsensitiveMultiMap(), "anonymous", null,
                TokenCounter.shared()), Budget.NONE);
    }
}
