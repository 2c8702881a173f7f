package dev.gearbox.providers.auth;

import dev.gearbox.providers.Authentication;
import dev.gearbox.providers.OutgoingRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A bearer token kept fresh for every event loop of a provider, as {@code Authorization: Bearer}. A call
 * takes the token in hand; once it is within {@code refreshAhead} of expiring, a new one is fetched while
 * the current one still serves, so calls do not wait and none goes out with a token about to lapse. Only
 * when there is none, or it has expired, does a call wait for the fetch. One fetch at a time, whichever loop
 * asks. Times come from the injected clock.
 */
public final class RefreshingToken implements Authentication {

    private final TokenSource source;
    private final Clock clock;
    private final Duration refreshAhead;
    private AccessToken current;
    private Future<AccessToken> fetching;

    private RefreshingToken(TokenSource source, Clock clock, Duration refreshAhead) {
        this.source = source;
        this.clock = clock;
        this.refreshAhead = refreshAhead;
    }

    /**
     * @param refreshAhead how long before it expires a token is replaced
     */
    public static RefreshingToken of(TokenSource source, Clock clock, Duration refreshAhead) {
        if (refreshAhead.isNegative()) {
            throw new IllegalArgumentException("refreshAhead: " + refreshAhead + " (expected: >= 0)");
        }
        return new RefreshingToken(source, clock, refreshAhead);
    }

    @Override
    public boolean seesRequest() {
        return true;
    }

    @Override
    public Future<Void> apply(OutgoingRequest request) {
        return token().map(token -> {
            request.headers().set("Authorization", "Bearer " + token.value());
            return null;
        });
    }

    /** A token good now, completed on the caller's context. */
    public Future<AccessToken> token() {
        Instant now = clock.instant();
        Future<AccessToken> pending;
        synchronized (this) {
            AccessToken held = current;
            if (held != null && now.isBefore(held.expiresAt())) {
                if (!now.isBefore(held.expiresAt().minus(refreshAhead))) {
                    refresh();
                }
                return Future.succeededFuture(held);
            }
            pending = refresh();
        }
        Context context = Vertx.currentContext();
        if (context == null) {
            return pending;
        }
        // The fetch completes wherever the source completes it; the call goes on on its own event loop.
        Promise<AccessToken> here = Promise.promise();
        pending.onComplete(result -> context.runOnContext(v -> here.handle(result)));
        return here.future();
    }

    /** The fetch under way, or a new one. */
    private synchronized Future<AccessToken> refresh() {
        if (fetching == null) {
            Future<AccessToken> fetch;
            try {
                fetch = source.fetch();
            } catch (RuntimeException e) {
                fetch = Future.failedFuture(e);
            }
            fetching = fetch;
            fetch.onComplete(result -> {
                synchronized (RefreshingToken.this) {
                    if (result.succeeded()) {
                        current = result.result();
                    }
                    fetching = null;
                }
            });
            // A source that answered at once has already cleared it.
            return fetch;
        }
        return fetching;
    }
}
