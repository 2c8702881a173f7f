package dev.gearbox.server;

import dev.gearbox.config.GearboxConfig;
import dev.gearbox.config.ProviderConfig;
import dev.gearbox.providers.Provider;
import dev.gearbox.providers.Providers;
import dev.gearbox.providers.anthropic.AnthropicProvider;
import dev.gearbox.providers.openai.OpenAiProvider;
import dev.gearbox.providers.simulated.SimulatedProvider;
import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one event loop's providers from the config: the one place a provider family is registered, so a
 * new family is a new package plus one line here.
 */
final class ProviderFactory {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderFactory.class);

    private final Vertx vertx;
    private final Clock clock;
    private final GearboxConfig config;

    private ProviderFactory(Vertx vertx, Clock clock, GearboxConfig config) {
        this.vertx = vertx;
        this.clock = clock;
        this.config = config;
    }

    static ProviderFactory of(Vertx vertx, Clock clock, GearboxConfig config) {
        return new ProviderFactory(vertx, clock, config);
    }

    Providers providers() {
        Map<String, Provider> byName = new HashMap<>();
        config.providers().forEach((name, provider) -> byName.put(name, provider(name, provider)));
        return new Providers(byName);
    }

    private Provider provider(String name, ProviderConfig provider) {
        return switch (provider.type()) {
            case SIMULATED -> new SimulatedProvider(vertx, clock, TokenCounter.shared());
            case OPENAI -> new OpenAiProvider(name, provider, httpClient(name, provider));
            case ANTHROPIC -> new AnthropicProvider(name, provider, httpClient(name, provider), clock);
        };
    }

    private HttpClient httpClient(String name, ProviderConfig provider) {
        return vertx.httpClientBuilder()
                .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, provider.connectTimeoutMs())))
                .with(new PoolOptions().setHttp1MaxSize(provider.maxConnections())
                        // Bounded, so that past it a call is refused at once rather than queued without end.
                        .setMaxWaitQueueSize(provider.maxConnections()))
                // A reset or broken connection fails the request on it, which is retried or falls back and is
                // counted; without a handler Vert.x would also log each one at ERROR, with no context.
                .withConnectHandler(connection -> connection.exceptionHandler(e ->
                        LOG.debug("connection to provider {} failed: {}", name, e.toString())))
                .build();
    }
}
