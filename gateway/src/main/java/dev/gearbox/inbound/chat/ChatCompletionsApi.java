package dev.gearbox.inbound.chat;

import dev.gearbox.exchange.Answer;
import dev.gearbox.inbound.InboundApi;
import dev.gearbox.inbound.OpenAiRendering;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.ChatRequest;
import dev.gearbox.wire.Request;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * {@code POST /v1/chat/completions}: OpenAI's chat completions, which is the canonical form itself, so
 * requests are only checked and answers go back as they are, whole or streamed.
 */
public final class ChatCompletionsApi implements InboundApi {

    private ChatCompletionsApi() {
    }

    public static ChatCompletionsApi create() {
        return new ChatCompletionsApi();
    }

    @Override
    public Request parse(Buffer body) {
        return ChatRequest.parse(body);
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
