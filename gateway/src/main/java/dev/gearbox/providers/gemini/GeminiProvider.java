package dev.gearbox.providers.gemini;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.providers.Authentication;
import dev.gearbox.providers.HttpUpstream;
import dev.gearbox.providers.Provider;
import dev.gearbox.providers.Translator;
import dev.gearbox.providers.UpstreamRequest;
import dev.gearbox.providers.UpstreamResponse;
import dev.gearbox.providers.UpstreamTarget;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.Operation;
import dev.gearbox.wire.Request;
import io.vertx.core.Future;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The Gemini API: {@code models/{upstream}:generateContent}, or {@code :streamGenerateContent?alt=sse} for a
 * stream, below its base URL, with the key in {@code x-goog-api-key}.
 */
final class GeminiProvider implements Provider {

    private final HttpUpstream upstream;
    private final Authentication key;
    private final Clock clock;

    GeminiProvider(HttpUpstream upstream, Authentication key, Clock clock) {
        this.upstream = upstream;
        this.key = key;
        this.clock = clock;
    }

    @Override
    public Translator translator(Request request, ModelConfig model) {
        if (request.operation() != Operation.CHAT_COMPLETIONS) {
            throw ApiException.invalidRequest("model", "'" + model.id() + "' is a Gemini chat model; Gemini's "
                    + request.operation().name().toLowerCase(java.util.Locale.ROOT) + " is not served through the gateway.");
        }
        String path = "/models/" + URLEncoder.encode(model.upstream(), StandardCharsets.UTF_8);
        return GeminiTranslator.of(UpstreamTarget.post(path + ":generateContent", key),
                UpstreamTarget.post(path + ":streamGenerateContent", key).withQuery("alt=sse"), clock.millis() / 1000);
    }

    @Override
    public Future<UpstreamResponse> send(UpstreamRequest request) {
        return upstream.send(request, request.headers());
    }
}
