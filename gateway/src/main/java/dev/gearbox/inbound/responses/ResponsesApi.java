package dev.gearbox.inbound.responses;

import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.AnswerStream;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.StreamEnd;
import dev.gearbox.exchange.StreamObserver;
import dev.gearbox.exchange.WholeAnswer;
import dev.gearbox.inbound.EventWriter;
import dev.gearbox.inbound.InboundApi;
import dev.gearbox.inbound.openai.OpenAiRendering;
import dev.gearbox.responses.ResponseEventStream;
import dev.gearbox.responses.ResponseObject;
import dev.gearbox.responses.ResponseTurn;
import dev.gearbox.responses.ResponsesToChat;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.Json;
import dev.gearbox.wire.Request;
import dev.gearbox.wire.SseEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * OpenAI's Responses API, {@code POST /v1/responses}: requests are translated to chat completions for the
 * pipeline ({@link ResponsesToChat}), and canonical answers rendered back as a response object or as the
 * API's typed server-sent events ({@link ResponseEventStream}). Errors have OpenAI's shape, as the
 * Responses API's own do.
 */
public final class ResponsesApi implements InboundApi {

    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_OF_EVENT = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private ResponsesApi() {
    }

    public static ResponsesApi create() {
        return new ResponsesApi();
    }

    @Override
    public Request parse(Buffer body) {
        return ResponsesToChat.translate(Json.request(body), body.length());
    }

    @Override
    public void render(Exchange exchange, Answer answer, HttpServerResponse response) {
        JsonObject request = ResponseTurn.clientBody(exchange);
        String id = ResponseTurn.id(exchange);
        if (answer instanceof WholeAnswer whole) {
            response.putHeader("content-type", "application/json").end(ResponseObject.of(id, request, whole.json()).toBuffer());
            return;
        }
        AnswerStream stream = (AnswerStream) answer;
        EventWriter writer = EventWriter.of(response, stream);
        ResponseEventStream events = ResponseEventStream.of(id, request, event -> writer.write(frame(event)));
        stream.consume(new StreamObserver() {
            private JsonObject upstreamError;

            @Override
            public void event(SseEvent data) {
                if (writer.over() || data.length() == 0 || data.bytes()[data.offset()] != '{') {
                    return;
                }
                JsonObject chunk = new JsonObject(data.toBuffer());
                if (chunk.getValue("error") instanceof JsonObject error) {
                    upstreamError = error;
                    return;
                }
                events.chunk(chunk);
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
                if (end instanceof StreamEnd.Done) {
                    events.done();
                } else if (end instanceof StreamEnd.Failed failed) {
                    events.failed(failed.error().code() != null ? failed.error().code() : "server_error",
                            failed.error().getMessage());
                } else {
                    JsonObject error = upstreamError != null ? upstreamError : new JsonObject();
                    events.failed(error.getValue("code") instanceof String c ? c : "server_error",
                            error.getValue("message") instanceof String m ? m : "The upstream stream failed.");
                }
                writer.end(null);
            }
        });
    }

    @Override
    public void renderError(ApiException error, HttpServerResponse response) {
        OpenAiRendering.renderError(error, response);
    }

    /** One typed event as the Responses API frames it: {@code event: <type>}, {@code data: <json>}. */
    static Buffer frame(JsonObject event) {
        Buffer data = event.toBuffer();
        byte[] type = event.getString("type").getBytes(StandardCharsets.UTF_8);
        return Buffer.buffer(data.length() + type.length + 20).appendBytes(EVENT).appendBytes(type).appendBytes(DATA)
                .appendBuffer(data).appendBytes(END_OF_EVENT);
    }
}
