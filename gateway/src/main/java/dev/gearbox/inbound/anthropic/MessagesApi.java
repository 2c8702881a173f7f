package dev.gearbox.inbound.anthropic;

import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.AnswerStream;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.StreamEnd;
import dev.gearbox.exchange.StreamObserver;
import dev.gearbox.exchange.WholeAnswer;
import dev.gearbox.inbound.EventWriter;
import dev.gearbox.inbound.InboundApi;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.ChatRequest;
import dev.gearbox.wire.Json;
import dev.gearbox.wire.NativeRequest;
import dev.gearbox.wire.Request;
import dev.gearbox.wire.SseEvent;
import dev.gearbox.wire.WireFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Anthropic's Messages API, {@code POST /v1/messages}, so the Anthropic SDKs and Claude Code work with only
 * their base URL changed. A request is checked in Messages' own terms and translated to the canonical
 * form ({@link MessagesToChatRequest}), keeping the client's body for Anthropic providers; answers are
 * rendered back as Messages ({@link ChatToMessagesAnswer}, {@link ChatToMessagesStream}), errors in
 * Anthropic's shape with the statuses its SDKs map to their exception classes.
 */
public final class MessagesApi implements InboundApi {

    private MessagesApi() {
    }

    public static MessagesApi create() {
        return new MessagesApi();
    }

    @Override
    public Request parse(Buffer body) {
        JsonObject messages = Json.request(body);
        JsonObject chat = MessagesToChatRequest.translate(messages);
        NativeRequest origin = new NativeRequest(WireFormat.ANTHROPIC_MESSAGES, messages, body.length());
        String chatless = ChatlessRequest.why(messages, chat);
        // Judged as written, not by its chat form: an Anthropic upstream takes what chat cannot say.
        return chatless == null ? ChatRequest.translated(chat, origin) : ChatRequest.withoutChatForm(chat, origin, chatless);
    }

    @Override
    public void render(Exchange exchange, Answer answer, HttpServerResponse response) {
        if (answer instanceof WholeAnswer whole) {
            response.putHeader("content-type", "application/json")
                    .end(ChatToMessagesAnswer.translate(whole.json()).toBuffer());
            return;
        }
        AnswerStream stream = (AnswerStream) answer;
        EventWriter writer = EventWriter.of(response, stream);
        ChatToMessagesStream events = new ChatToMessagesStream(writer::write, exchange.request().model());
        stream.consume(new StreamObserver() {
            @Override
            public void event(SseEvent data) {
                if (writer.over() || events.over()) {
                    return;
                }
                events.event(data);
                if (events.over()) {
                    writer.end(null);
                }
            }

            @Override
            public void flush() {
                writer.flush();
            }

            @Override
            public void end(StreamEnd end) {
                if (writer.over()) {
                    return;
                }
                events.end(end);
                writer.end(null);
            }
        });
    }

    @Override
    public void renderError(ApiException error, HttpServerResponse response) {
        if (response.closed() || response.ended()) {
            return;
        }
        response.setStatusCode(error.status()).putHeader("content-type", "application/json");
        if (error.retryAfter() != null) {
            response.putHeader("retry-after", error.retryAfter());
        }
        response.end(body(error).toBuffer());
    }

    /** {@code {"type":"error","error":{"type":...,"message":...}}}. */
    static JsonObject body(ApiException error) {
        return new JsonObject().put("type", "error").put("error", new JsonObject()
                .put("type", errorType(error.status())).put("message", error.getMessage()));
    }

    /**
     * Anthropic's error type for a status, as its API documents them; it uses {@code invalid_request_error}
     * for the 4xx statuses it does not list (405, 414, 431).
     */
    static String errorType(int status) {
        return switch (status) {
            case 400, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 408, 504 -> "timeout_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
        };
    }
}
