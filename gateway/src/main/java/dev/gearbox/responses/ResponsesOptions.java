package dev.gearbox.responses;

import static dev.gearbox.wire.JsonValues.describe;
import static dev.gearbox.wire.JsonValues.isInteger;

import dev.gearbox.wire.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * A Responses request's scalar options: those chat has under another name ({@code reasoning},
 * {@code max_output_tokens}, {@code stream}) are put into the chat request, and those that shape only the
 * response object or the gateway's store ({@code metadata}, {@code store}, {@code truncation}...) are checked.
 */
final class ResponsesOptions {

    private static final Set<String> EFFORTS = Set.of("none", "minimal", "low", "medium", "high", "xhigh");

    private ResponsesOptions() {
    }

    /** Checks {@code body}'s options and puts the chat fields they translate to into {@code chat}. */
    static void translate(JsonObject body, JsonObject chat) {
        reasoning(body.getValue("reasoning"), chat);
        Object max = body.getValue("max_output_tokens");
        if (max != null) {
            if (!isInteger(max, 1, Integer.MAX_VALUE)) {
                throw ApiException.invalidRequest("max_output_tokens", "'max_output_tokens' is " + describe(max)
                        + "; expected an integer from 1 up.");
            }
            chat.put("max_tokens", max);
        }
        metadata(body.getValue("metadata"));
        optionalBoolean(body, "store");
        optionalString(body, "previous_response_id");
        Object truncation = body.getValue("truncation");
        if (truncation != null && !"disabled".equals(truncation) && !"auto".equals(truncation)) {
            throw ApiException.invalidRequest("truncation", "'truncation' is " + describe(truncation)
                    + "; expected 'auto' or 'disabled'.");
        }
        if (body.getValue("include") != null && !(body.getValue("include") instanceof JsonArray)) {
            throw ApiException.invalidRequest("include", "'include' must be an array of strings.");
        }
        if (optionalBoolean(body, "stream")) {
            chat.put("stream", true);
            // The completed event reports usage, so the gateway always asks for it.
            chat.put("stream_options", new JsonObject().put("include_usage", true));
        } else if (body.containsKey("stream_options")) {
            throw ApiException.invalidRequest("stream_options", "'stream_options' is only allowed when 'stream' is true.");
        }
    }

    private static void reasoning(Object value, JsonObject chat) {
        if (value == null) {
            return;
        }
        if (!(value instanceof JsonObject reasoning)) {
            throw ApiException.invalidRequest("reasoning", "'reasoning' must be an object.");
        }
        Object effort = reasoning.getValue("effort");
        if (effort != null) {
            if (!(effort instanceof String e) || !EFFORTS.contains(e)) {
                throw ApiException.invalidRequest("reasoning.effort", "'reasoning.effort' is " + describe(effort)
                        + "; expected one of 'none', 'minimal', 'low', 'medium', 'high', 'xhigh'.");
            }
            chat.put("reasoning_effort", effort);
        }
        Object summary = reasoning.getValue("summary");
        if (summary != null && !"auto".equals(summary) && !"concise".equals(summary) && !"detailed".equals(summary)) {
            throw ApiException.invalidRequest("reasoning.summary", "'reasoning.summary' is " + describe(summary)
                    + "; expected 'auto', 'concise' or 'detailed'.");
        }
    }

    private static void metadata(Object value) {
        if (value == null) {
            return;
        }
        if (!(value instanceof JsonObject metadata)) {
            throw ApiException.invalidRequest("metadata", "'metadata' must be an object of strings.");
        }
        if (metadata.size() > 16) {
            throw ApiException.invalidRequest("metadata", "'metadata' has " + metadata.size() + " keys; expected at most 16.");
        }
        for (Map.Entry<String, Object> entry : metadata) {
            if (entry.getKey().length() > 64 || !(entry.getValue() instanceof String s) || s.length() > 512) {
                throw ApiException.invalidRequest("metadata." + entry.getKey(), "'metadata' values must be strings of up "
                        + "to 512 characters, with keys of up to 64.");
            }
        }
    }

    private static boolean optionalBoolean(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value != null && !(value instanceof Boolean)) {
            throw ApiException.invalidRequest(field, "'" + field + "' must be a boolean, not " + describe(value) + ".");
        }
        return Boolean.TRUE.equals(value);
    }

    private static void optionalString(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value != null && !(value instanceof String)) {
            throw ApiException.invalidRequest(field, "'" + field + "' must be a string, not " + describe(value) + ".");
        }
    }
}
