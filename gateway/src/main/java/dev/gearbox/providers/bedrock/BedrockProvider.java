package dev.gearbox.providers.bedrock;

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
import java.util.concurrent.atomic.AtomicLong;

/**
 * AWS Bedrock's Converse API: {@code /model/{upstream}/converse} and {@code /converse-stream} below the
 * regional endpoint, each request signed with SigV4 over its final bytes. The model id is percent-encoded in
 * the path ({@code anthropic.claude-sonnet-4-20250514-v1:0}, an inference profile's ARN).
 */
final class BedrockProvider implements Provider {

    private static final AtomicLong ANSWERS = new AtomicLong();

    private final HttpUpstream upstream;
    private final Authentication signature;
    private final Clock clock;

    BedrockProvider(HttpUpstream upstream, Authentication signature, Clock clock) {
        this.upstream = upstream;
        this.signature = signature;
        this.clock = clock;
    }

    @Override
    public Translator translator(Request request, ModelConfig model) {
        if (request.operation() != Operation.CHAT_COMPLETIONS) {
            throw ApiException.invalidRequest("model", "'" + model.id() + "' is a Bedrock chat model; Bedrock's "
                    + request.operation().name().toLowerCase(java.util.Locale.ROOT) + " is not served through the gateway.");
        }
        String path = "/model/" + URLEncoder.encode(model.upstream(), StandardCharsets.UTF_8).replace("+", "%20");
        long created = clock.millis() / 1000;
        return new ConverseTranslator(UpstreamTarget.post(path + "/converse", signature),
                UpstreamTarget.post(path + "/converse-stream", signature),
                "chatcmpl-bedrock-" + Long.toHexString(clock.millis()) + "-" + ANSWERS.incrementAndGet(), created);
    }

    @Override
    public Future<UpstreamResponse> send(UpstreamRequest request) {
        return upstream.send(request, request.headers());
    }
}
