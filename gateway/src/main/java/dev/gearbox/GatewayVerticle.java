package dev.gearbox;

import dev.gearbox.api.ApiKeyAuthHandler;
import dev.gearbox.api.ChatCompletionsHandler;
import dev.gearbox.api.EmbeddingsHandler;
import dev.gearbox.api.FailureHandler;
import dev.gearbox.api.HealthHandler;
import dev.gearbox.api.ModelsHandler;
import dev.gearbox.api.Readiness;
import dev.gearbox.api.RequestContextHandler;
import dev.gearbox.api.UpstreamErrors;
import dev.gearbox.config.GearboxConfig;
import dev.gearbox.config.ProviderConfig;
import dev.gearbox.providers.ModelCatalog;
import dev.gearbox.providers.Provider;
import dev.gearbox.providers.openai.OpenAiProvider;
import dev.gearbox.providers.simulated.SimulatedProvider;
import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One event loop's HTTP server: builds the providers and handlers of a config and routes to them.
 *
 * <p>It only wires; each handler does one job. One instance runs per event loop, each with its own
 * HTTP clients, so a request never leaves the loop it arrived on.
 */
final class GatewayVerticle extends VerticleBase {

    private final GearboxConfig config;
    private final Clock clock;
    private final Readiness readiness;
    private final int port;

    GatewayVerticle(GearboxConfig config, Clock clock, Readiness readiness, int port) {
        this.config = config;
        this.clock = clock;
        this.readiness = readiness;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        Map<String, Provider> providers = new HashMap<>();
        config.providers().forEach((name, provider) -> providers.put(name, provider(name, provider)));
        ModelCatalog catalog = ModelCatalog.of(config, providers::get);
        UpstreamErrors errors = new UpstreamErrors(secrets());
        FailureHandler failures = new FailureHandler(config.server().maxBodyBytes());
        ModelsHandler models = new ModelsHandler(catalog, clock.instant().getEpochSecond());
        HealthHandler health = new HealthHandler(readiness);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.server().maxBodyBytes());

        Router router = Router.router(vertx);
        router.route().handler(new RequestContextHandler());
        router.get("/health/live").handler(health::live);
        router.get("/health/ready").handler(health::ready);
        router.route("/v1/*").handler(new ApiKeyAuthHandler(config.server().apiKeys()));
        router.post("/v1/chat/completions").handler(body).handler(new ChatCompletionsHandler(catalog, errors));
        router.post("/v1/embeddings").handler(body).handler(new EmbeddingsHandler(catalog, errors));
        router.get("/v1/models").handler(models::list);
        router.getWithRegex("/v1/models/(?<id>.+)").handler(models::get);
        router.route().failureHandler(failures);
        for (int status : new int[] {400, 404, 405, 413, 500}) {
            router.errorHandler(status, failures);
        }

        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.server().host())
                .setPort(port)
                .setTcpNoDelay(true)
                .setCompressionSupported(false);
        return vertx.createHttpServer(options).requestHandler(router).listen();
    }

    private Provider provider(String name, ProviderConfig provider) {
        return switch (provider.type()) {
            case SIMULATED -> new SimulatedProvider(vertx, clock, TokenCounter.shared());
            case OPENAI -> new OpenAiProvider(name, provider, vertx.createHttpClient(
                    new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, provider.connectTimeoutMs())),
                    new PoolOptions().setHttp1MaxSize(provider.maxConnections())));
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
