package dev.gearbox.providers.vertex;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.providers.Authentication;
import dev.gearbox.providers.HttpUpstream;
import dev.gearbox.providers.Provider;
import dev.gearbox.providers.Translator;
import dev.gearbox.providers.UpstreamRequest;
import dev.gearbox.providers.UpstreamResponse;
import dev.gearbox.providers.UpstreamTarget;
import dev.gearbox.providers.gemini.GeminiTranslator;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.Operation;
import dev.gearbox.wire.Request;
import io.vertx.core.Future;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Vertex AI: Gemini at {@code projects/{p}/locations/{l}/publishers/google/models/{m}:generateContent} (Gemini's
 * translators), Claude at {@code .../publishers/anthropic/models/{m}:rawPredict} (Anthropic's), both with an
 * OAuth2 access token that is kept fresh. A model whose upstream name starts with {@code claude} is Anthropic's.
 */
final class VertexProvider implements Provider {

    private final HttpUpstream upstream;
    private final Authentication token;
    private final String location;
    private final Clock clock;

    VertexProvider(HttpUpstream upstream, Authentication token, String location, Clock clock) {
        this.upstream = upstream;
        this.token = token;
        this.location = location;
        this.clock = clock;
    }

    @Override
    public Translator translator(Request request, ModelConfig model) {
        if (request.operation() != Operation.CHAT_COMPLETIONS) {
            throw ApiException.invalidRequest("model", "'" + model.id() + "' is a Vertex AI chat model; its "
                    + request.operation().name().toLowerCase(java.util.Locale.ROOT) + " is not served through the gateway.");
        }
        String name = URLEncoder.encode(model.upstream(), StandardCharsets.UTF_8);
        long created = clock.millis() / 1000;
        if (model.upstream().startsWith("claude")) {
            String path = location + "/publishers/anthropic/models/" + name;
            return new VertexClaudeTranslator(UpstreamTarget.post(path + ":rawPredict", token),
                    UpstreamTarget.post(path + ":streamRawPredict", token), created);
        }
        String path = location + "/publishers/google/models/" + name;
        return GeminiTranslator.of(UpstreamTarget.post(path + ":generateContent", token),
                UpstreamTarget.post(path + ":streamGenerateContent", token).withQuery("alt=sse"), created);
    }

    @Override
    public Future<UpstreamResponse> send(UpstreamRequest request) {
        return upstream.send(request, request.headers());
    }
}
