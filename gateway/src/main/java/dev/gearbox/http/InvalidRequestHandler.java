package dev.gearbox.http;

import dev.gearbox.inbound.openai.OpenAiRendering;
import dev.gearbox.wire.ApiException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers what the HTTP codec could not read (a header block over the limit, a bad header name, a bare CR,
 * LF or NUL in a value, an overlong request line) in OpenAI's error shape, as every other error is,
 * instead of Vert.x's empty body; then closes, since the connection's framing is not to be trusted.
 */
public final class InvalidRequestHandler implements Handler<HttpServerRequest> {

    private InvalidRequestHandler() {
    }

    public static InvalidRequestHandler create() {
        return new InvalidRequestHandler();
    }

    @Override
    public void handle(HttpServerRequest request) {
        DecoderResult result = request.decoderResult();
        Throwable cause = result == null ? null : result.cause();
        ApiException error;
        if (cause instanceof TooLongFrameException tooLong) {
            String message = String.valueOf(tooLong.getMessage());
            error = message.contains("header")
                    ? new ApiException(431, "invalid_request_error", "request_header_fields_too_large", null,
                            "The request's headers are larger than the server accepts.")
                    : new ApiException(414, "invalid_request_error", "uri_too_long", null,
                            "The request line is longer than the server accepts.");
        } else {
            // The codec's own message quotes the offending header, which may be a credential: not echoed.
            String message = cause == null ? "" : String.valueOf(cause.getMessage());
            error = ApiException.invalidRequest(null, message.contains("header name")
                    ? "A header name contains a character HTTP does not allow."
                    : message.contains("header value")
                    ? "A header value contains a character HTTP does not allow (such as CR, LF or NUL)."
                    : "The request could not be read as HTTP/1.1.");
        }
        request.response().putHeader(HttpHeaders.CONNECTION, "close")
                .endHandler(v -> request.connection().close());
        OpenAiRendering.renderError(error, request.response());
    }
}
