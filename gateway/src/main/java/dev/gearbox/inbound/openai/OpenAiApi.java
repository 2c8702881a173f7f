package dev.gearbox.inbound.openai;

import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.inbound.InboundApi;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.ChatRequest;
import dev.gearbox.wire.EmbeddingsRequest;
import dev.gearbox.wire.ModerationsRequest;
import dev.gearbox.wire.Request;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.function.Function;

/**
 * OpenAI's API, which is the canonical form itself: requests are only checked, and answers go back as they
 * are, whole or streamed. One instance per endpoint, differing only in how the body is checked.
 */
public final class OpenAiApi implements InboundApi {

    private final Function<Buffer, Request> parser;

    private OpenAiApi(Function<Buffer, Request> parser) {
        this.parser = parser;
    }

    /** {@code POST /v1/chat/completions}. */
    public static OpenAiApi chatCompletions() {
        return new OpenAiApi(ChatRequest::parse);
    }

    /** {@code POST /v1/embeddings}: to the named model or the default embedding model. */
    public static OpenAiApi embeddings() {
        return new OpenAiApi(EmbeddingsRequest::parse);
    }

    /** {@code POST /v1/moderations}: to the named model or the catalog's moderation model. */
    public static OpenAiApi moderations() {
        return new OpenAiApi(ModerationsRequest::parse);
    }

    @Override
    public Request parse(Buffer body) {
        return parser.apply(body);
    }

    @Override
    public void render(Exchange exchange, Answer answer, HttpServerResponse response) {
        OpenAiRendering.render(answer, response);
    }

    @Override
    public void renderError(ApiException error, HttpServerResponse response) {
        OpenAiRendering.renderError(error, response);
    }
}
