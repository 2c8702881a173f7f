package dev.gearbox.providers;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.wire.Request;
import io.vertx.core.Future;

/**
 * An upstream: a real API over HTTP, or the built-in simulator.
 *
 * <p>It sends a body already in its own wire format (made by its {@link Translator}) and answers with a
 * status, headers and a body that may still be arriving. Retries, breakers, deadlines and caching are the
 * upstream stage's and the cache stage's business, not a provider's. The returned future completes when the
 * response head is known; it fails with a {@link ProviderException} when no response could be had.
 */
public interface Provider {

    /**
     * A new translator for one attempt of {@code request} on {@code model}: it may send the client's own
     * request ({@link Request#nativeRequest()}) when this provider speaks the client's API, or translate
     * the canonical one.
     */
    Translator translator(Request request, ModelConfig model);

    /** Sends a request upstream. Must be called on the caller's event loop and never block. */
    Future<UpstreamResponse> send(UpstreamRequest request);
}
