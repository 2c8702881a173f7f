package dev.gearbox.http;

import dev.gearbox.wire.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every failure in the error shape of the request's client API ({@link ErrorFormat}): the gateway's
 * own {@link ApiException}s, and the statuses the router and body handler raise (404, 405, 413).
 */
public final class FailureHandler implements Handler<RoutingContext> {

    private static final Logger log = LoggerFactory.getLogger(FailureHandler.class);

    private final long maxBodyBytes;

    public FailureHandler(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(RoutingContext rc) {
        HttpServerResponse response = rc.response();
        if (rc.failure() instanceof HttpClosedException || response.closed()) {
            // The client went away, mid-body or mid-answer: nobody to answer, nothing the gateway did wrong.
            return;
        }
        ApiException error = toApiException(rc);
        if (response.headWritten()) {
            // Mid-stream there is no status left to set; closing tells the client the answer is incomplete.
            if (!response.closed()) {
                response.reset();
            }
            return;
        }
        ErrorFormat.render(rc, error);
    }

    private ApiException toApiException(RoutingContext rc) {
        Throwable failure = rc.failure();
        if (failure instanceof ApiException api) {
            return api;
        }
        int status = rc.statusCode();
        String method = rc.request().method().name();
        String path = rc.request().path();
        return switch (status) {
            case 404 -> new ApiException(404, "invalid_request_error", "unknown_url", null,
                    "Invalid URL (" + method + " " + path + ").");
            case 405 -> new ApiException(405, "invalid_request_error", "method_not_allowed", null,
                    "Method " + method + " is not allowed for " + path + ".");
            case 413 -> HttpErrors.bodyTooLarge(maxBodyBytes);
            case 400 -> ApiException.invalidRequest(null, "The request could not be read"
                    + (failure == null ? "." : ": " + failure.getMessage()));
            default -> {
                log.error("request {} {} failed", method, path, failure);
                yield HttpErrors.internal();
            }
        };
    }
}
