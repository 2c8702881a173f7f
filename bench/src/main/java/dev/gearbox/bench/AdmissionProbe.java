package dev.gearbox.bench;

import dev.gearbox.admission.AdmissionStage;
import dev.gearbox.admission.ApiKeys;
import dev.gearbox.admission.ReservationStage;
import dev.gearbox.admission.Settlement;
import dev.gearbox.config.ConfigLoader;
import dev.gearbox.config.GearboxConfig;
import dev.gearbox.config.RedisConfig;
import dev.gearbox.cost.Cost;
import dev.gearbox.cost.Usage;
import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.Pipeline;
import dev.gearbox.exchange.WholeAnswer;
import dev.gearbox.routing.LatencyStats;
import dev.gearbox.routing.Router;
import dev.gearbox.routing.RoutingRules;
import dev.gearbox.config.LeaseConfig;
import dev.gearbox.state.InProcessStore;
import dev.gearbox.state.LeaseTerms;
import dev.gearbox.state.LeasedStore;
import dev.gearbox.state.RedisClients;
import dev.gearbox.state.ReconcilingStore;
import dev.gearbox.state.RedisStore;
import dev.gearbox.state.Store;
import dev.gearbox.wire.ChatRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission's cost per request (the key's stage and the reservation's), without keys, with keys and limits in the in-process store, and
 * with them in Redis, in one interleaved run: each round runs every setup in turn, so the machine's drift
 * falls on all of them alike. A request is what the gateway does for it in admission: resolve the key,
 * reserve against the key's and team's limits (one script round trip with Redis), and, once priced,
 * settle (a second one, after the answer). The next stage answers at once, so the figure is admission
 * alone, on one event loop keeping {@code CONCURRENCY} requests in flight.
 *
 * <p>{@code AdmissionProbe ROUNDS REQUESTS CONCURRENCY} starts its own {@code redis-server} on a free port.
 */
public final class AdmissionProbe {

    private static final Logger LOG = LoggerFactory.getLogger("gearbox.bench.probe");
    private static final String KEY = "sk-bench-0123456789abcdef";
    private static final Buffer BODY = Buffer.buffer(
            "{\"model\":\"sim-cheap\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}");
    private static final WholeAnswer ANSWER = WholeAnswer.of(Buffer.buffer("{\"choices\":[]}"), "application/json");
    private static final Usage USAGE = new Usage(14, 0, 8, 0, false);
    private static final Cost COST = new Cost(0.00001, 0.0002);

    private AdmissionProbe() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        try {
            awaitListening(port);
            Clock clock = Clock.systemUTC();
            Path rules = Files.createTempDirectory("gearbox-admission-probe");
            RedisConfig redisConfig = RedisConfig.single("redis://127.0.0.1:" + port);
            RedisStore exact = RedisStore.over(RedisClients.create(vertx, redisConfig), redisConfig, 600_000, clock);
            RedisStore leasedBase = RedisStore.over(RedisClients.create(vertx, redisConfig), redisConfig, 600_000, clock);
            LeaseConfig leases = LeaseConfig.defaults();
            List<Setup> setups = List.of(
                    new Setup("no-keys", config("", rules), InProcessStore.inMemory(), clock),
                    new Setup("keys-in-process", config(keyed(), rules), InProcessStore.inMemory(), clock),
                    new Setup("keys-redis", config(keyed(), rules), ReconcilingStore.of(exact, false), clock),
                    new Setup("keys-redis-leased", config(keyed(), rules), LeasedStore.over(
                            ReconcilingStore.of(leasedBase, false), leasedBase.leases(), new LeaseTerms(leases.budgetShare(),
                                    leases.rateShare(), leases.ttlMs()), leases.settleIntervalMs(), clock, vertx), clock));
            Context loop = vertx.getOrCreateContext();
            // Unmeasured: the JIT and the Redis script cache.
            for (Setup setup : setups) {
                run(loop, setup, Math.min(requests, 20_000), concurrency);
            }
            for (int round = 1; round <= rounds; round++) {
                for (Setup setup : setups) {
                    long cpu0 = processCpuNanos();
                    long redis0 = setup.name.startsWith("keys-redis") ? ticks(redis.pid()) : 0;
                    long t0 = System.nanoTime();
                    run(loop, setup, requests, concurrency);
                    long wall = System.nanoTime() - t0;
                    long cpu = processCpuNanos() - cpu0;
                    long redisTicks = setup.name.startsWith("keys-redis") ? ticks(redis.pid()) - redis0 : 0;
                    LOG.info(String.format(Locale.ROOT,
                            "round=%d setup=%s requests=%d rate=%.0f/s wall_us_per_req=%.2f jvm_cpu_us_per_req=%.2f redis_cpu_us_per_req=%.2f",
                            round, setup.name, requests, requests / (wall / 1e9), wall / 1e3 / requests, cpu / 1e3 / requests,
                            redisTicks * 10_000.0 / requests));
                }
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
            redis.destroy();
        }
    }

    private static String keyed() {
        return """
                api_keys:
                  - {key: "${BENCH_KEY}", tenant: bench, rpm: 100000000, budget_usd: {daily: 1000000}}
                """;
    }

    private static GearboxConfig config(String server, Path rules) throws Exception {
        Files.writeString(rules.resolve("models.yaml"), """
                models:
                  - {id: sim-cheap, provider: sim, tier: cheap, price: {input: 0.15, output: 0.60}}
                  - {id: sim-reasoning, provider: sim, tier: reasoning, price: {input: 4.5, output: 18}}
                """);
        Files.writeString(rules.resolve("routes.yaml"), "aliases: [auto]\nroutes:\n  - {name: default, then: {tier: cheap}}\n");
        return ConfigLoader.of(Map.of("BENCH_KEY", KEY)).parse("""
                server:
                  port: 0
                %s
                providers:
                  sim: {type: simulated}
                rules: {directory: "%s"}
                teams:
                  - {id: bench, max_concurrent: 100000, budget_usd: {monthly: 1000000}}
                """.formatted(server.indent(2), rules), "admission probe");
    }

    /** Runs {@code n} requests through admission on the loop, {@code concurrency} at a time, and waits for the store. */
    private static void run(Context loop, Setup setup, int n, int concurrency) {
        Promise<Void> done = Promise.promise();
        loop.runOnContext(v -> new Driver(setup, n, done).start(concurrency));
        done.future().compose(v -> setup.store.accountsVersion()).toCompletionStage().toCompletableFuture().join();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** User and system clock ticks (10 ms) of a process, from /proc. */
    private static long ticks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** One configuration of admission. */
    private static final class Setup {
        final String name;
        final Store store;
        final Pipeline admission;
        final Settlement settlement;

        Setup(String name, GearboxConfig config, Store store, Clock clock) {
            this.name = name;
            this.store = store;
            ApiKeys keys = ApiKeys.of(config, store, clock);
            keys.refresh().toCompletionStage().toCompletableFuture().join();
            RoutingRules rules = RoutingRules.load(config, clock);
            // The key, then the reservation: what the gateway's two admission stages do for a request.
            this.admission = Pipeline.until(exchange -> Future.succeededFuture((Answer) ANSWER),
                    AdmissionStage.of(keys, "Authorization", rules),
                    ReservationStage.of(store, clock, config.state(), rules, new Router(new LatencyStats(), new SplittableRandom())));
            this.settlement = Settlement.of(store);
        }
    }

    /** Keeps a number of requests in flight until {@code n} have been admitted, priced and finished. */
    private static final class Driver {
        private final Setup setup;
        private final Promise<Void> done;
        private int left;
        private int inFlight;
        private long id;

        Driver(Setup setup, int n, Promise<Void> done) {
            this.setup = setup;
            this.left = n;
            this.done = done;
        }

        void start(int concurrency) {
            for (int i = 0; i < concurrency && left > 0; i++) {
                left--;
                inFlight++;
                next();
            }
        }

        private void next() {
            Exchange exchange = Exchange.begin(Long.toString(id++), "POST", "/v1/chat/completions",
                    MultiMap.caseInsensitiveMultiMap(), System.nanoTime(), setup.settlement);
            exchange.credential("Bearer " + KEY);
            exchange.request(ChatRequest.parse(BODY));
            setup.admission.apply(exchange).onComplete(ar -> {
                if (ar.succeeded()) {
                    exchange.priced(USAGE, COST);
                }
                exchange.finish(ar.succeeded() ? 200 : 500, System.nanoTime());
                inFlight--;
                if (left > 0) {
                    left--;
                    inFlight++;
                    // Through the loop's queue, as the next request would come: an in-process store answers
                    // at once, and a direct call would recurse.
                    Vertx.currentContext().runOnContext(v -> next());
                } else if (inFlight == 0) {
                    done.complete();
                }
            });
        }
    }

    /** Waits until redis-server accepts connections, rather than guessing how long it takes to start. */
    private static void awaitListening(int port) throws java.io.IOException, InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (java.net.ConnectException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new java.io.IOException("redis-server did not listen on port " + port + " within 10 s");
                }
                Thread.onSpinWait();
            }
        }
    }
}
