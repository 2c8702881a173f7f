package dev.gearbox.providers.auth;

import io.vertx.core.Future;

/** Where new access tokens come from: an OAuth2 token endpoint, a credentials library. */
@FunctionalInterface
public interface TokenSource {

    /**
     * A new token. Called on an event loop; a source whose fetch blocks (a library's HTTP call) does it off the
     * loop, and the future may complete on any thread.
     */
    Future<AccessToken> fetch();
}
