package dev.gearbox.inbound.openai;

import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.AnswerStream;
import dev.gearbox.exchange.StreamEnd;
import dev.gearbox.inbound.EventWriter;
import dev.gearbox.exchange.StreamObserver;
import dev.gearbox.exchange.WholeAnswer;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.SseEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * Writes canonical answers as OpenAI's API does: a whole body as it is, a stream as server-sent events
 * ending in {@code data: [DONE]}, or, when cut short, in an error event and no {@code [DONE]}; errors as
 * {@code {"error":{...}}}. Shared by the OpenAI-shaped inbound APIs.
 */
public final class OpenAiRendering {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_OF_EVENT = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    private OpenAiRendering() {
    }

    public static void render(Answer answer, HttpServerResponse response) {
        if (answer instanceof WholeAnswer whole) {
            response.putHeader("content-type", whole.contentType()).end(whole.body());
            return;
        }
        AnswerStream stream = (AnswerStream) answer;
        EventWriter writer = EventWriter.of(response, stream);
        stream.consume(new StreamObserver() {
            @Override
            public void event(SseEvent data) {
                if (framedInPlace(data)) {
                    writer.write(data.bytes(), data.offset() - DATA.length, data.offset() + data.length() + END_OF_EVENT.length);
                } else {
                    writer.write(frame(data));
                }
            }

            @Override
            public void flush() {
                writer.flush();
            }

            @Override
            public void end(StreamEnd end) {
                if (end instanceof StreamEnd.Done) {
                    writer.end(DONE);
                } else if (end instanceof StreamEnd.Failed failed) {
                    Buffer error = failed.error().toBody();
                    writer.end(frame(error.getBytes(), 0, error.length()));
                } else {
                    writer.end(null);
                }
            }
        });
    }

    /** Writes an error in OpenAI's shape, with its status and {@code Retry-After}. */
    public static void renderError(ApiException error, HttpServerResponse response) {
        if (response.closed() || response.ended()) {
            return;
        }
        response.setStatusCode(error.status()).putHeader("content-type", "application/json");
        if (error.retryAfter() != null) {
            response.putHeader("retry-after", error.retryAfter());
        }
        response.end(error.toBody());
    }

    /**
     * Whether the bytes around an event are its frame already, as an OpenAI-compatible upstream writes it
     * ({@code data: <json>} and a blank line): then those bytes go to the client as they came in, uncopied.
     */
    public static boolean framedInPlace(SseEvent data) {
        byte[] b = data.bytes();
        int start = data.offset() - DATA.length;
        int end = data.offset() + data.length();
        if (start < 0 || end + END_OF_EVENT.length > b.length || b[end] != '\n' || b[end + 1] != '\n') {
            return false;
        }
        for (int i = 0; i < DATA.length; i++) {
            if (b[start + i] != DATA[i]) {
                return false;
            }
        }
        return true;
    }

    /** One event as OpenAI's server-sent events frame it: {@code data: <json>} and a blank line. */
    public static Buffer frame(SseEvent data) {
        return frame(data.bytes(), data.offset(), data.length());
    }

    private static Buffer frame(byte[] bytes, int offset, int length) {
        return Buffer.buffer(length + 8).appendBytes(DATA).appendBytes(bytes, offset, length).appendBytes(END_OF_EVENT);
    }
}
