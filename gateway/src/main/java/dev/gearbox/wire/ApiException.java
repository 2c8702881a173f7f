package dev.gearbox.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * An error the client sees, in OpenAI's shape: {@code {"error":{"message","type","param","code"}}}.
 *
 * <p>The status and {@code type} are those the OpenAI SDKs map to their exception classes. Thrown or
 * passed up as a failed future; the client's inbound API writes it in its own shape.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final String retryAfter;

    public ApiException(int status, String type, String code, String param, String message) {
        this(status, type, code, param, message, null);
    }

    public ApiException(int status, String type, String code, String param, String message, String retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.retryAfter = retryAfter;
    }

    /** 400: the request is malformed or a parameter is wrong. */
    public static ApiException invalidRequest(String param, String message) {
        return new ApiException(400, "invalid_request_error", null, param, message);
    }

    /** 404: no model by that name. */
    public static ApiException modelNotFound(String model) {
        return new ApiException(404, "invalid_request_error", "model_not_found", "model",
                "The model '" + model + "' does not exist or you do not have access to it.");
    }

    /** 401: a missing or wrong API key. */
    public static ApiException invalidApiKey(String message) {
        return new ApiException(401, "invalid_request_error", "invalid_api_key", null, message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }

    /** The {@code Retry-After} to send with the error, or null. */
    public String retryAfter() {
        return retryAfter;
    }

    /** The error as OpenAI's JSON body. */
    public Buffer toBody() {
        return body(getMessage(), type, param, code);
    }

    /** An OpenAI-shaped error body. */
    public static Buffer body(String message, String type, String param, String code) {
        JsonObject error = new JsonObject().put("message", message).put("type", type).put("param", param)
                .put("code", code);
        return new JsonObject().put("error", error).toBuffer();
    }
}
