package dev.gearbox.server;

import dev.gearbox.admission.Accounts;
import dev.gearbox.admission.ApiKeys;
import dev.gearbox.admission.BudgetWatch;
import dev.gearbox.telemetry.FallbackCostListener;
import dev.gearbox.telemetry.LimitsListener;
import dev.gearbox.admission.Settlement;
import dev.gearbox.config.StateConfig;
import dev.gearbox.console.Console;
import dev.gearbox.quality.AfterAnswer;
import dev.gearbox.quality.Quality;
import dev.gearbox.http.InFlight;
import dev.gearbox.config.LeaseConfig;
import dev.gearbox.state.InProcessStore;
import dev.gearbox.state.LeaseTerms;
import dev.gearbox.state.LeasedStore;
import dev.gearbox.state.RedisClients;
import dev.gearbox.state.ReconcilingStore;
import dev.gearbox.state.RedisStore;
import dev.gearbox.state.Store;
import java.nio.file.Path;
import dev.gearbox.exchange.ExchangeListener;
import dev.gearbox.telemetry.AccessLogListener;
import dev.gearbox.telemetry.LatencyListener;
import dev.gearbox.telemetry.Tracing;
import java.util.ArrayList;
import dev.gearbox.conversation.InMemoryResponseStore;
import dev.gearbox.conversation.RedisResponseStore;
import io.vertx.redis.client.Redis;
import dev.gearbox.conversation.ResponseStore;
import dev.gearbox.config.GearboxConfig;
import dev.gearbox.cache.ResponseCache;
import dev.gearbox.telemetry.MeterDescriptions;
import dev.gearbox.telemetry.MetricsListener;
import dev.gearbox.telemetry.TenantTags;
import dev.gearbox.resilience.Deployments;
import dev.gearbox.routing.LatencyStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import dev.gearbox.telemetry.MeterNames;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.gearbox.routing.RoutingRules;
import dev.gearbox.routing.RulesException;
import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: a Vert.x instance with one server verticle per event loop.
 *
 * <p>Start it with {@link #start(GearboxConfig, Clock)}; {@link #close()} stops it.
 */
public final class Gearbox implements AutoCloseable {

    /** The longest a closing store may take to write what it holds (Redis: each command has its own timeout). */
    static final long STORE_CLOSE_MS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(Gearbox.class);
    /** How long a stored response can be continued or read, in process or in Redis alike. */
    static final Duration RESPONSE_TTL = Duration.ofHours(24);

    private final Vertx vertx;
    private final int port;
    private final Readiness readiness;
    private final RoutingRules rules;
    private final PrometheusMeterRegistry meters;
    private final List<GatewayVerticle> verticles;
    private final InFlight inFlight;
    private final long drainMs;
    private final Tracing tracing;
    private final Store store;
    private final Quality quality;
    private final ProviderFactory providers;

    private Gearbox(Vertx vertx, List<GatewayVerticle> verticles, InFlight inFlight, long drainMs, int port,
                    Readiness readiness, RoutingRules rules, PrometheusMeterRegistry meters, Tracing tracing, Store store,
                    ProviderFactory providers, Quality quality) {
        this.store = store;
        this.providers = providers;
        this.quality = quality;
        this.vertx = vertx;
        this.verticles = verticles;
        this.inFlight = inFlight;
        this.drainMs = drainMs;
        this.port = port;
        this.readiness = readiness;
        this.rules = rules;
        this.meters = meters;
        this.tracing = tracing;
    }

    /** The gateway's meters. */
    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /**
     * Starts a gateway; the future completes once every event loop is listening. Invalid routing rules
     * fail the start with a {@link RulesException} naming each problem.
     */
    public static Future<Gearbox> start(GearboxConfig config, Clock clock) {
        return start(config, clock, new java.util.SplittableRandom());
    }

    /** @param sampling the chances the quality capability takes (which requests are shadowed); seeded in tests */
    public static Future<Gearbox> start(GearboxConfig config, Clock clock, java.util.random.RandomGenerator sampling) {
        RoutingRules rules;
        try {
            rules = RoutingRules.load(config, clock);
        } catch (RulesException e) {
            return Future.failedFuture(e);
        }
        LatencyStats latency = new LatencyStats();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        meters.config().meterFilter(MeterDescriptions.create());
        Deployments deployments = new Deployments(config.resilience(), clock, meters);
        TenantTags tenants = TenantTags.of(config.telemetry().maxNamedTenants(), clock);
        MetricsListener metrics = new MetricsListener(meters, tenants);
        rules.onReload(metrics::ruleReload);
        List<ExchangeListener> listeners = new ArrayList<>(List.of(metrics, LatencyListener.of(latency)));
        // Off means no OpenTelemetry object at all. On, it comes before the access log, which logs its trace id.
        Tracing tracing = config.telemetry().tracing() == null ? null : Tracing.create(config.telemetry().tracing(), meters);
        if (tracing != null) {
            listeners.add(tracing.listener(config));
        }
        if (config.server().accessLog()) {
            listeners.add(new AccessLogListener(clock));
        }
        ResponseCache cache = new ResponseCache(config.cache(), clock);
        InFlight inFlight = new InFlight();
        int instances = config.server().eventLoops();
        // Port 0 would give every instance its own port; choose one free port for all of them.
        int port = config.server().port() == 0 ? freePort(config.server().host()) : config.server().port();
        // Load the tokenizer tables now rather than on the first request's event loop turn.
        TokenCounter.shared().count("warm up");
        // Epoll where Netty's native library loads (Linux): fewer syscalls and allocations per request than NIO.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(instances).setPreferNativeTransport(true));
        Readiness readiness = new Readiness();
        Store store;
        ResponseStore responses;
        Quality quality;
        ProviderFactory providers;
        try {
            // Once for all event loops: a family makes here what they share (credentials, a token source).
            providers = ProviderFactory.open(vertx, clock, config);
            // One Redis client (and pool) for the state store and the response store, when Redis is configured.
            Redis redis = config.state().redis() == null ? null : RedisClients.create(vertx, config.state().redis());
            store = store(vertx, config.state(), redis, clock, meters);
            // Shared by replicas with Redis, so a conversation continues on any of them; else in this process.
            responses = redis == null ? InMemoryResponseStore.of(clock, 64L * 1024 * 1024, RESPONSE_TTL)
                    : RedisResponseStore.of(redis, RESPONSE_TTL);
            quality = QualityFactory.create(config, rules, vertx, redis, clock, meters, sampling);
        } catch (RuntimeException e) {
            vertx.close();
            return Future.failedFuture(e);
        }
        ApiKeys keys = ApiKeys.of(config, store, clock);
        Accounts accounts = Accounts.of(keys);
        // Before metrics and logs, so they hear a request after its reservation has ended.
        listeners.add(0, Settlement.of(store));
        LimitsListener limits = new LimitsListener(meters, tenants);
        listeners.add(limits);
        listeners.add(new FallbackCostListener(meters));
        Console console;
        try {
            console = Console.of(config, meters, clock);
        } catch (RuntimeException e) {
            vertx.close();
            return Future.failedFuture(e);
        }
        if (console != null && console.listener() != null) {
            listeners.add(console.listener());
        }
        if (quality != null) {
            // Last: it keeps what the others have recorded, once the client has its answer.
            listeners.add(AfterAnswer.of(quality));
        }
        BudgetWatch budgets = BudgetWatch.of(keys, config.state());
        // Breakers and bulkheads of their own, so a shadow's failures never open one for clients; their meters
        // are not exported, as shadow calls are not requests.
        Deployments shadows = quality == null ? null : new Deployments(config.resilience(), clock,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        List<GatewayVerticle> verticles = new CopyOnWriteArrayList<>();
        // Made on the caller's thread, so it belongs to no event loop: it can still be completed, and heard,
        // after a failed start has closed them all.
        Promise<Gearbox> started = Promise.promise();
        // A store that cannot be reached at start leaves the config's keys; the poll picks up the rest later.
        keys.refresh().recover(e -> Future.succeededFuture()).compose(v -> vertx.deployVerticle(() -> {
                    GatewayVerticle verticle = new GatewayVerticle(config, clock, new GatewayVerticle.Shared(readiness,
                            rules, latency, deployments, meters, ExchangeListener.all(listeners), cache, inFlight, responses,
                            keys, accounts, store, providers, quality, shadows, console), port);
                    verticles.add(verticle);
                    return verticle;
                }, new DeploymentOptions().setInstances(instances)))
                .map(id -> {
                    Periodic periodic = new Periodic(vertx);
                    periodic.pollAccounts(keys);
                    periodic.watchBudgets(budgets, limits);
                    if (config.state().redis() != null) {
                        periodic.shareLatency(store, latency, clock);
                    }
                    if (quality != null) {
                        periodic.watchQuality(quality);
                    }
                    if (rules.reloadable()) {
                        periodic.watchRules(rules, config.rules().reloadIntervalMs());
                    }
                    if (console != null) {
                        periodic.recordMeters(console);
                    }
                    readiness.set(true);
                    return new Gearbox(vertx, List.copyOf(verticles), inFlight, config.server().drainTimeoutMs(), port,
                            readiness, rules, meters, tracing, store, providers, quality);
                })
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        started.complete(ar.result());
                    } else {
                        started.fail(ar.cause());
                        store.close();
                        QualityFactory.close(quality);
                        providers.close();
                        vertx.close();
                        if (tracing != null) {
                            tracing.close();
                        }
                    }
                });
        return started.future();
    }

    /**
     * With Redis, requests are counted in leases ({@link LeasedStore}) over the per-request store, which keeps the
     * exact path and the fail mode; else in this process.
     */
    private static Store store(Vertx vertx, StateConfig state, Redis redis, Clock clock, MeterRegistry meters) {
        if (redis != null) {
            RedisStore shared = RedisStore.over(redis, state.redis(), state.reservationTtlMs(), clock);
            FunctionCounter.builder(MeterNames.STATE_UNREPLICATED_WRITES, shared, RedisStore::unreplicatedWrites)
                    .register(meters);
            Store exact = ReconcilingStore.of(shared,
                    state.redis().onUnavailable() == dev.gearbox.config.RedisConfig.OnUnavailable.FAIL_OPEN);
            LeaseConfig leases = state.leases();
            return LeasedStore.over(exact, shared.leases(), new LeaseTerms(leases.budgetShare(), leases.rateShare(),
                    leases.ttlMs()), leases.settleIntervalMs(), clock, vertx);
        }
        return state.file() == null ? InProcessStore.inMemory() : InProcessStore.persistent(vertx, Path.of(state.file()));
    }

    public RoutingRules rules() {
        return rules;
    }

    /** The port the gateway listens on. */
    public int port() {
        return port;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Where keys, limits and spend live. */
    public Store store() {
        return store;
    }

    public Readiness readiness() {
        return readiness;
    }

    /**
     * Stops the gateway gracefully and waits until it has stopped: it turns not-ready, stops accepting
     * connections, lets requests and streams in flight finish within the drain time, interrupts what is left
     * (each stream ends with its API's error event), writes every settle to the store, then closes.
     */
    @Override
    public void close() {
        readiness.set(false);
        verticles.forEach(GatewayVerticle::stopAccepting);
        int abandoned = Drain.await(inFlight, drainMs);
        if (abandoned > 0) {
            LOG.warn("{} requests were still in flight after the drain and its grace; their spend may be lost", abandoned);
        }
        // After the last request has settled, and before Vert.x goes: the file store writes its last state, and
        // Redis gets the settles still on their way.
        try {
            store.close().toCompletionStage().toCompletableFuture().get(STORE_CLOSE_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("the state store did not close cleanly: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Shadows still running when Vert.x closes are dropped.
        QualityFactory.close(quality);
        providers.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        if (tracing != null) {
            // After the last request has ended, so its spans are in the final batch.
            tracing.close();
        }
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }
}
