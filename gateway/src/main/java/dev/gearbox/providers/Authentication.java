package dev.gearbox.providers;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;

/**
 * How a call proves who sends it: headers that are the same on every call (a key), or a step that must see
 * the final request (a signature over its bytes, a token from a source that refreshes it). Either may be
 * absent. The step runs on the event loop and must not block it: work that takes time (fetching a token,
 * signing a large body) completes the future later, off the loop.
 */
public interface Authentication {

    /** Sends nothing that proves the caller: a keyless endpoint, or the simulator. */
    Authentication NONE = new Authentication() {
    };

    /** The same headers on every call, such as a key; read once and kept by the caller. Null for none. */
    default MultiMap headers() {
        return null;
    }

    /** Whether {@link #apply} must see each request: a signature, a token. */
    default boolean seesRequest() {
        return false;
    }

    /**
     * Adds what proves the caller to {@code request}, whose URL, headers and body are final: a future that
     * completes once it is added, or fails when it cannot be had. Called only when {@link #seesRequest()}.
     */
    default Future<Void> apply(OutgoingRequest request) {
        return Future.succeededFuture();
    }

    /** Headers that are the same on every call. */
    static Authentication headers(MultiMap headers) {
        MultiMap fixed = MultiMap.caseInsensitiveMultiMap().addAll(headers);
        return new Authentication() {
            @Override
            public MultiMap headers() {
                return fixed;
            }
        };
    }

    /** One header that is the same on every call, or nothing when {@code value} is null. */
    static Authentication header(String name, String value) {
        return value == null ? NONE : headers(MultiMap.caseInsensitiveMultiMap().add(name, value));
    }
}
