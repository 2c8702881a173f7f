package dev.gearbox.http;

import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.ExchangeListener;
import dev.gearbox.time.Scheduler;
import dev.gearbox.wire.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The first handler of every request: gives it an {@link Exchange} and an {@code x-request-id} (the
 * client's, when it sent a usable one), writes the gateway's headers from the exchange as the response
 * head goes out, and finishes the exchange when the response ends.
 */
public final class ExchangeHandler implements Handler<RoutingContext> {

    private static final String KEY = "gearbox.exchange";
    private static final int MAX_ID_LENGTH = 128;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final ExchangeListener listener;
    private final InFlight inFlight;
    private final Scheduler scheduler;
    private final HeadTimeout heads;

    private ExchangeHandler(ExchangeListener listener, InFlight inFlight, Scheduler scheduler, HeadTimeout heads) {
        this.listener = listener;
        this.inFlight = inFlight;
        this.scheduler = scheduler;
        this.heads = heads;
    }

    /**
     * @param listener told about every request
     * @param inFlight counts requests until their response has ended
     * @param heads told when a connection has a request in progress, so it is not closed as idle
     */
    public static ExchangeHandler create(ExchangeListener listener, InFlight inFlight, Scheduler scheduler,
                                         HeadTimeout heads) {
        return new ExchangeHandler(listener, inFlight, scheduler, heads);
    }

    /** The exchange of a request; every request has one once it is past the first handler. */
    public static Exchange exchange(RoutingContext rc) {
        Exchange exchange = rc.get(KEY);
        if (exchange == null) {
            throw new IllegalStateException("no exchange: ExchangeHandler must run first");
        }
        return exchange;
    }

    @Override
    public void handle(RoutingContext rc) {
        String id = rc.request().getHeader(GatewayHeaders.REQUEST_ID);
        if (!usable(id)) {
            id = newId();
        }
        Exchange exchange = Exchange.begin(id, rc.request().method().name(), rc.request().path(), rc.request().headers(),
                scheduler.nanoTime(), listener);
        rc.put(KEY, exchange);
        HttpServerResponse response = rc.response();
        rc.addHeadersEndHandler(v -> GatewayHeaders.write(exchange, response));
        inFlight.started();
        heads.started(rc.request().connection());
        rc.addEndHandler(ar -> {
            inFlight.ended();
            heads.ended(rc.request().connection());
            if (ar.failed() && exchange.outcome() == null) {
                exchange.outcome("cancelled");
            }
            exchange.finish(response.getStatusCode(), scheduler.nanoTime());
        });
        if (rc.request().headers().contains("")) {
            // Netty lets a line such as ": value" through as a header without a name; HTTP does not.
            rc.fail(ApiException.invalidRequest(null, "A header has no name."));
            return;
        }
        if (!wellEscaped(rc.request().path())) {
            // The router would fail to decode it later, as a 500; it is the client's malformed request.
            rc.fail(ApiException.invalidRequest(null, "The request path has a malformed percent-escape."));
            return;
        }
        rc.next();
    }

    /** Whether every {@code %} in the raw path starts a two-digit hex escape. */
    static boolean wellEscaped(String path) {
        if (path == null) {
            return true;
        }
        for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
            if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0
                    || Character.digit(path.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** An id is echoed only when it is short and printable, so it cannot split a header or a log line. */
    private static boolean usable(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** A random 128-bit id; not a secret, so no SecureRandom on the event loop. */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[36];
        "req_".getChars(0, 4, out, 0);
        long hi = random.nextLong();
        long lo = random.nextLong();
        for (int i = 0; i < 16; i++) {
            out[4 + i] = HEX[(int) (hi >>> (60 - 4 * i)) & 0xf];
            out[20 + i] = HEX[(int) (lo >>> (60 - 4 * i)) & 0xf];
        }
        return new String(out);
    }
}
