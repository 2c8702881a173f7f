package dev.gearbox.providers;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A provider's answer: its head at once, its body as it arrives.
 *
 * <p>Read the body once, either whole with {@link #body()} or as a stream with {@link #stream()}.
 */
public interface UpstreamResponse {

    int status();

    /** Response headers, such as {@code content-type} and {@code retry-after}. */
    MultiMap headers();

    /** The whole body, once it has arrived. */
    Future<Buffer> body();

    /** The body as it arrives, with backpressure. */
    ReadStream<Buffer> stream();
}
