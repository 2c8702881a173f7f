package dev.gearbox.providers.anthropic;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.ProviderConfig;
import dev.gearbox.providers.Authentication;
import dev.gearbox.providers.HttpUpstream;
import dev.gearbox.providers.Provider;
import dev.gearbox.providers.Translator;
import dev.gearbox.providers.UpstreamRequest;
import dev.gearbox.providers.UpstreamResponse;
import dev.gearbox.providers.UpstreamTarget;
import dev.gearbox.wire.Request;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.time.Clock;

/**
 * Anthropic's Messages API. The key goes as {@code x-api-key}, with {@code anthropic-version} (2023-06-01
 * unless the provider's headers set another); {@code anthropic-beta} and any other header come from the
 * provider's {@code headers}. Betas a Messages client asked for are added to the provider's own.
 */
public final class AnthropicProvider implements Provider {

    /** The API version the translators are written against. */
    public static final String API_VERSION = "2023-06-01";
    private static final String BETA = "anthropic-beta";

    private final HttpUpstream upstream;
    private final Clock clock;
    private final String configuredBetas;
    private final UpstreamTarget messages;

    AnthropicProvider(ProviderConfig config, HttpUpstream upstream, Clock clock) {
        MultiMap family = HttpHeaders.headers().add("anthropic-version", API_VERSION);
        if (config.apiKey() != null) {
            family.add("x-api-key", config.apiKey().value());
        }
        this.upstream = upstream;
        this.clock = clock;
        this.configuredBetas = upstream.configured(BETA);
        this.messages = UpstreamTarget.post("/messages", Authentication.headers(family));
    }

    @Override
    public Translator translator(Request request, ModelConfig model) {
        return MessagesTranslator.of(messages, clock.millis() / 1000);
    }

    @Override
    public Future<UpstreamResponse> send(UpstreamRequest request) {
        MultiMap extra = request.headers();
        if (extra != null && configuredBetas != null && extra.contains(BETA)) {
            // The client's betas join the provider's own rather than replacing them.
            extra = HttpHeaders.headers().addAll(extra).set(BETA, configuredBetas + "," + extra.get(BETA));
        }
        return upstream.send(request, extra);
    }
}
