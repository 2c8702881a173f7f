package dev.gearbox.providers.openai;

import dev.gearbox.providers.CanonicalTranslator;
import dev.gearbox.providers.NotAnAnswer;
import dev.gearbox.wire.Json;
import dev.gearbox.wire.SseEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What the translators that send a client's own OpenAI API (Responses, legacy completions) share when they
 * read the answer back: the checks on a whole answer's body, and how they pass on the events they make.
 */
final class NativeAnswers {

    /** The largest upstream event read; larger ones fail the stream rather than the gateway's memory. */
    static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

    private NativeAnswers() {
    }

    /**
     * A 200 body as the JSON object it must be, with an array under {@code field} (what the answer is made from).
     *
     * @throws NotAnAnswer when it is not JSON, not a JSON object in UTF-8, or lacks {@code field}; an error object
     *     in its place is told apart, with its message
     */
    static JsonObject json(Buffer body, String contentType, String field) {
        if (contentType == null || !contentType.contains("json")) {
            throw new NotAnAnswer("wrong_content_type", "answered with content type " + contentType);
        }
        JsonObject answer;
        try {
            answer = Json.answer(body);
        } catch (IllegalArgumentException e) {
            throw new NotAnAnswer("malformed", "answered with a body that is not a JSON object in UTF-8");
        }
        if (!(answer.getValue(field) instanceof JsonArray)) {
            throw answer.getValue("error") instanceof JsonObject
                    ? new NotAnAnswer("error_in_200", "answered 200 with an error instead of an answer: "
                            + CanonicalTranslator.openAiError(body).message())
                    : new NotAnAnswer("malformed", "answered 200 without '" + field + "'");
        }
        return answer;
    }

    /** An event whose data is {@code data}. */
    static SseEvent event(Buffer data) {
        byte[] bytes = data.getBytes();
        return new SseEvent(bytes, 0, bytes.length);
    }
}
