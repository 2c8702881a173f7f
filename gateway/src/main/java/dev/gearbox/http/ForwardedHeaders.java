package dev.gearbox.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Passes named headers of the client's request on to upstream, for an API whose requests mean something
 * only with them: Anthropic's {@code anthropic-beta}, which turns on the beta features a Messages body (as
 * Claude Code sends it) may use. They join the exchange's upstream headers, which every attempt sends.
 */
public final class ForwardedHeaders implements Handler<RoutingContext> {

    private final List<String> names;

    private ForwardedHeaders(List<String> names) {
        this.names = names;
    }

    public static ForwardedHeaders of(String... names) {
        return new ForwardedHeaders(List.of(names));
    }

    @Override
    public void handle(RoutingContext rc) {
        MultiMap client = rc.request().headers();
        for (String name : names) {
            List<String> values = client.getAll(name);
            if (!values.isEmpty()) {
                ExchangeHandler.exchange(rc).upstreamHeaders().set(name, String.join(",", values));
            }
        }
        rc.next();
    }
}
