package dev.gearbox.inbound.embeddings;

import dev.gearbox.exchange.Answer;
import dev.gearbox.inbound.InboundApi;
import dev.gearbox.inbound.OpenAiRendering;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.EmbeddingsRequest;
import dev.gearbox.wire.Request;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** {@code POST /v1/embeddings}: OpenAI's embeddings, to the named model or the default embedding model. */
public final class EmbeddingsApi implements InboundApi {

    private EmbeddingsApi() {
    }

    public static EmbeddingsApi create() {
        return new EmbeddingsApi();
    }

    @Override
    public Request parse(Buffer body) {
        return EmbeddingsRequest.parse(body);
    }

    @Override
    public void render(Answer answer, HttpServerResponse response) {
        OpenAiRendering.render(answer, response);
    }

    @Override
    public void renderError(ApiException error, HttpServerResponse response) {
        OpenAiRendering.renderError(error, response);
    }
}
