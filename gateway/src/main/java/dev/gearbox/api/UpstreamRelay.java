package dev.gearbox.api;

import dev.gearbox.providers.Cancellation;
import dev.gearbox.providers.ModelTarget;
import dev.gearbox.providers.UpstreamRequest;
import dev.gearbox.providers.UpstreamResponse;
import dev.gearbox.routing.LatencyStats;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Sends a prepared request to its provider and relays the answer to the client: a whole JSON body, an
 * SSE stream, or the provider's error in OpenAI's shape.
 *
 * <p>Shared by the chat and embeddings handlers, which differ only in how they prepare the request. It
 * enforces the request's deadline and feeds the latency of successful calls to the router's statistics.
 */
final class UpstreamRelay {

    static final String MODEL_HEADER = "x-gearbox-model";
    static final String PROVIDER_HEADER = "x-gearbox-provider";
    private static final long NANOS_PER_MS = 1_000_000L;

    private final UpstreamErrors errors;
    private final LatencyStats latency;

    UpstreamRelay(UpstreamErrors errors, LatencyStats latency) {
        this.errors = errors;
        this.latency = latency;
    }

    /** A cancellation that fires when the client goes away before the answer is complete. */
    static Cancellation cancelOnClose(RoutingContext rc) {
        Cancellation cancellation = new Cancellation();
        rc.response().closeHandler(v -> cancellation.cancel());
        return cancellation;
    }

    /**
     * @param deadlineMs the most time the whole call may take, or null for the provider's own timeouts
     */
    void relay(RoutingContext rc, ModelTarget target, UpstreamRequest request, boolean clientWantsUsage, Long deadlineMs) {
        new Exchange(rc, target, request, clientWantsUsage).start(deadlineMs);
    }

    /** One call in flight: its timings, its deadline, and how it ends. */
    private final class Exchange implements StreamRelay.Listener {
        private final RoutingContext rc;
        private final ModelTarget target;
        private final UpstreamRequest request;
        private final boolean clientWantsUsage;
        private final long sentNanos = System.nanoTime();
        private long firstByteNanos;
        private long deadlineTimer = -1;
        private StreamRelay stream;
        private boolean done;

        Exchange(RoutingContext rc, ModelTarget target, UpstreamRequest request, boolean clientWantsUsage) {
            this.rc = rc;
            this.target = target;
            this.request = request;
            this.clientWantsUsage = clientWantsUsage;
        }

        void start(Long deadlineMs) {
            HttpServerResponse out = rc.response();
            out.putHeader(MODEL_HEADER, target.model().id()).putHeader(PROVIDER_HEADER, target.providerName());
            if (deadlineMs != null) {
                deadlineTimer = rc.vertx().setTimer(deadlineMs, id -> deadlinePassed(deadlineMs));
            }
            target.provider().send(request).onComplete(ar -> {
                if (done || request.cancellation().isCancelled()) {
                    return;
                }
                if (ar.failed()) {
                    fail(errors.of(ar.cause()));
                    return;
                }
                respond(ar.result());
            });
        }

        private void respond(UpstreamResponse response) {
            HttpServerResponse out = rc.response();
            int status = response.status();
            if (status < 200 || status > 299) {
                response.body().onComplete(body -> fail(body.succeeded()
                        ? errors.of(target.providerName(), status, response.headers().get("retry-after"), body.result())
                        : errors.of(body.cause())));
                return;
            }
            if (request.stream() && response.isEventStream()) {
                out.setChunked(true)
                        .putHeader("content-type", "text/event-stream; charset=utf-8")
                        .putHeader("cache-control", "no-cache")
                        .putHeader("x-accel-buffering", "no");
                stream = new StreamRelay(out, response.stream(), clientWantsUsage, request.requestId(), this);
                stream.start();
                return;
            }
            String type = response.headers().get("content-type");
            response.body().onComplete(body -> {
                if (done) {
                    return;
                }
                if (body.failed()) {
                    fail(errors.of(body.cause()));
                } else if (!out.closed()) {
                    firstByte();
                    out.putHeader("content-type", type == null ? "application/json" : type).end(body.result());
                    finished(true);
                }
            });
        }

        private void deadlinePassed(long deadlineMs) {
            if (done) {
                return;
            }
            String message = "The upstream provider " + target.providerName() + " did not complete within the deadline of "
                    + deadlineMs + " ms.";
            if (stream != null) {
                stream.abort(message);
                request.cancellation().cancel();
                return;
            }
            fail(new ApiException(504, "server_error", "upstream_timeout", null, message));
            request.cancellation().cancel();
        }

        private void fail(ApiException error) {
            if (done) {
                return;
            }
            finished(false);
            rc.fail(error);
        }

        @Override
        public void firstByte() {
            if (firstByteNanos == 0) {
                firstByteNanos = System.nanoTime();
            }
        }

        @Override
        public void finished(boolean complete) {
            if (done) {
                return;
            }
            done = true;
            if (deadlineTimer >= 0) {
                rc.vertx().cancelTimer(deadlineTimer);
            }
            if (complete && latency != null) {
                long end = System.nanoTime();
                latency.record(target.model(), (firstByteNanos - sentNanos) / (double) NANOS_PER_MS,
                        (end - sentNanos) / (double) NANOS_PER_MS);
            }
        }
    }
}
