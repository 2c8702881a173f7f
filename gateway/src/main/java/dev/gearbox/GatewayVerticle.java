package dev.gearbox;

import dev.gearbox.api.ApiKeyAuthHandler;
import dev.gearbox.api.ChatCompletionsHandler;
import dev.gearbox.api.EmbeddingsHandler;
import dev.gearbox.api.FailureHandler;
import dev.gearbox.api.HealthHandler;
import dev.gearbox.api.InFlight;
import dev.gearbox.api.ModelsHandler;
import dev.gearbox.api.Readiness;
import dev.gearbox.api.RequestContextHandler;
import dev.gearbox.api.UpstreamErrors;
import dev.gearbox.api.UpstreamServices;
import dev.gearbox.resilience.Deployments;
import dev.gearbox.api.MetricsHandler;
import dev.gearbox.metrics.AccessLog;
import dev.gearbox.metrics.GatewayMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.gearbox.config.GearboxConfig;
import dev.gearbox.config.ProviderConfig;
import dev.gearbox.providers.Providers;
import dev.gearbox.routing.LatencyStats;
import dev.gearbox.routing.Router;
import dev.gearbox.routing.RoutingRules;
import dev.gearbox.admin.AdminAuthHandler;
import dev.gearbox.admin.CacheAdminHandler;
import dev.gearbox.admin.RoutesAdminHandler;
import dev.gearbox.cache.ResponseCache;
import dev.gearbox.api.Budgets;
import dev.gearbox.providers.Provider;
import dev.gearbox.providers.openai.OpenAiProvider;
import dev.gearbox.providers.simulated.SimulatedProvider;
import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's HTTP server: builds the providers and handlers of a config and routes to them.
 *
 * <p>It only wires; each handler does one job. One instance runs per event loop, each with its own
 * HTTP clients, so a request never leaves the loop it arrived on.
 */
final class GatewayVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

    private final GearboxConfig config;
    private final Clock clock;
    private final Readiness readiness;
    private final RoutingRules rules;
    private final LatencyStats latency;
    private final Deployments deployments;
    private final PrometheusMeterRegistry meters;
    private final GatewayMetrics metrics;
    private final ResponseCache cache;
    private final InFlight inFlight;
    private final int port;
    private volatile HttpServer server;

    GatewayVerticle(GearboxConfig config, Clock clock, Readiness readiness, RoutingRules rules, LatencyStats latency,
                    Deployments deployments, PrometheusMeterRegistry meters, GatewayMetrics metrics, ResponseCache cache,
                    InFlight inFlight, int port) {
        this.config = config;
        this.clock = clock;
        this.readiness = readiness;
        this.rules = rules;
        this.latency = latency;
        this.deployments = deployments;
        this.meters = meters;
        this.metrics = metrics;
        this.cache = cache;
        this.inFlight = inFlight;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        Map<String, Provider> byName = new HashMap<>();
        config.providers().forEach((name, provider) -> byName.put(name, provider(name, provider)));
        Providers providers = new Providers(byName);
        TokenCounter tokens = TokenCounter.shared();
        SplittableRandom random = new SplittableRandom();
        Router router = new Router(latency, random.split());
        UpstreamErrors errors = new UpstreamErrors(secrets());
        UpstreamServices services = new UpstreamServices(providers, deployments, errors, latency, meters, clock, random);
        FailureHandler failures = new FailureHandler(config.server().maxBodyBytes());
        ModelsHandler models = new ModelsHandler(rules, clock.instant().getEpochSecond());
        HealthHandler health = new HealthHandler(readiness, () -> deployments.anyServable(rules.current().catalog()));
        RoutesAdminHandler routes = new RoutesAdminHandler(rules, router, tokens, Budgets::of);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.server().maxBodyBytes());

        io.vertx.ext.web.Router web = io.vertx.ext.web.Router.router(vertx);
        AccessLog accessLog = config.server().accessLog() ? new AccessLog(clock) : null;
        web.route().handler(new RequestContextHandler((ctx, rc, end) -> {
            int status = rc.response().getStatusCode();
            metrics.finished(ctx, status, end);
            if (accessLog != null) {
                accessLog.finished(ctx, rc.request().method().name(), rc.request().path(), status, end);
            }
        }, inFlight));
        web.get("/metrics").handler(new MetricsHandler(meters));
        web.get("/health/live").handler(health::live);
        web.get("/health/ready").handler(health::ready);
        web.route("/v1/*").handler(new ApiKeyAuthHandler(config.server().apiKeys()));
        web.post("/v1/chat/completions").handler(body)
                .handler(new ChatCompletionsHandler(rules, router, tokens, services, config.cost().baselineModel(),
                        config.server().logPrompts(), cache));
        web.post("/v1/embeddings").handler(body).handler(new EmbeddingsHandler(rules, services));
        web.get("/v1/models").handler(models::list);
        web.getWithRegex("/v1/models/(?<id>.+)").handler(models::get);
        web.route("/admin/*").handler(new AdminAuthHandler(config.server().adminToken()));
        web.get("/admin/routes").handler(routes::show);
        web.post("/admin/routes/explain").handler(body).handler(routes::explain);
        web.post("/admin/routes/reload").handler(routes::reload);
        CacheAdminHandler cacheAdmin = new CacheAdminHandler(cache);
        web.get("/admin/cache").handler(cacheAdmin::show);
        web.delete("/admin/cache").handler(cacheAdmin::clear);
        web.route().failureHandler(failures);
        for (int status : new int[] {400, 404, 405, 413, 500}) {
            web.errorHandler(status, failures);
        }

        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.server().host())
                .setPort(port)
                .setTcpNoDelay(true)
                .setCompressionSupported(false)
                // HTTP/1.1 only: SDKs speak it to a plain-HTTP gateway, TLS and HTTP/2 end at the ingress, and
                // an h2c stream does not survive a graceful shutdown.
                .setHttp2ClearTextEnabled(false);
        server = vertx.createHttpServer(options).requestHandler(web);
        return server.listen();
    }

    /**
     * Stops accepting connections; requests and streams in flight go on. Safe from any thread.
     */
    void stopAccepting() {
        context.runOnContext(v -> {
            if (server != null) {
                server.shutdown(config.server().drainTimeoutMs(), TimeUnit.MILLISECONDS);
            }
        });
    }

    private Provider provider(String name, ProviderConfig provider) {
        return switch (provider.type()) {
            case SIMULATED -> new SimulatedProvider(vertx, clock, TokenCounter.shared());
            case OPENAI -> new OpenAiProvider(name, provider, vertx.httpClientBuilder()
                    .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, provider.connectTimeoutMs())))
                    .with(new PoolOptions().setHttp1MaxSize(provider.maxConnections()))
                    // A reset or broken connection fails the request on it, which is retried or falls back and is
                    // counted; without a handler Vert.x would also log each one at ERROR, with no context.
                    .withConnectHandler(connection -> connection.exceptionHandler(e ->
                            LOG.debug("connection to provider {} failed: {}", name, e.toString())))
                    .build());
        };
    }

    private List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        config.providers().values().forEach(p -> {
            if (p.apiKey() != null) {
                secrets.add(p.apiKey().value());
            }
        });
        config.server().apiKeys().forEach(k -> secrets.add(k.key().value()));
        if (config.server().adminToken() != null) {
            secrets.add(config.server().adminToken().value());
        }
        return secrets;
    }
}
