package dev.gearbox.providers;

import io.vertx.core.Future;

/**
 * An upstream that serves OpenAI-shaped requests: a real API over HTTP, or the built-in simulator.
 *
 * <p>This is the seam later capabilities decorate (retries, breakers, caching): a provider takes a
 * request whose body is already in the upstream's wire format and answers with a status, headers and a
 * body that may still be arriving. The returned future completes when the response head is known; it
 * fails with a {@link ProviderException} when no response could be had.
 */
public interface Provider {

    /** Sends a request upstream. Must be called on the caller's event loop and never block. */
    Future<UpstreamResponse> send(UpstreamRequest request);
}
