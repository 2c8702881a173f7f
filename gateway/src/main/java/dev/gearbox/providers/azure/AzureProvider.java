package dev.gearbox.providers.azure;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.providers.Authentication;
import dev.gearbox.providers.CanonicalTranslator;
import dev.gearbox.providers.HttpUpstream;
import dev.gearbox.providers.Provider;
import dev.gearbox.providers.Translator;
import dev.gearbox.providers.UpstreamRequest;
import dev.gearbox.providers.UpstreamResponse;
import dev.gearbox.providers.UpstreamTarget;
import dev.gearbox.providers.openai.OpenAiReasoningModelQuirk;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.Operation;
import dev.gearbox.wire.Request;
import io.vertx.core.Future;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Azure OpenAI: OpenAI's chat completions and embeddings at a deployment, either in the path with
 * {@code api-version} or in the v1 path style, authenticated with {@code api-key} or an Entra ID bearer token.
 * A deployment of a reasoning model ({@code capabilities: [reasoning]}) gets the request rewritten as OpenAI's
 * reasoning models need it, and the route's effort as {@code reasoning_effort}.
 */
final class AzureProvider implements Provider {

    private static final OpenAiReasoningModelQuirk REASONING = new OpenAiReasoningModelQuirk();

    private final HttpUpstream upstream;
    private final Authentication authentication;
    private final String apiVersion;

    AzureProvider(HttpUpstream upstream, Authentication authentication, String apiVersion) {
        this.upstream = upstream;
        this.authentication = authentication;
        this.apiVersion = apiVersion;
    }

    @Override
    public Translator translator(Request request, ModelConfig model) {
        String endpoint = switch (request.operation()) {
            case CHAT_COMPLETIONS -> "/chat/completions";
            case EMBEDDINGS -> "/embeddings";
            case MODERATIONS -> throw ApiException.invalidRequest("model", "'" + model.id()
                    + "' is an Azure OpenAI deployment; Azure OpenAI has no moderations endpoint.");
        };
        UpstreamTarget target = "v1".equals(apiVersion)
                ? UpstreamTarget.post("/openai/v1" + endpoint, authentication)
                : UpstreamTarget.post("/openai/deployments/" + URLEncoder.encode(model.upstream(), StandardCharsets.UTF_8)
                        + endpoint, authentication).withQuery("api-version=" + apiVersion);
        CanonicalTranslator canonical = request.operation() == Operation.CHAT_COMPLETIONS
                ? CanonicalTranslator.of(target, model.reasons() ? List.of(REASONING::apply) : List.of())
                : CanonicalTranslator.of(request.operation(), target);
        return new AzureChatTranslator(canonical);
    }

    @Override
    public Future<UpstreamResponse> send(UpstreamRequest request) {
        return upstream.send(request, request.headers());
    }
}
