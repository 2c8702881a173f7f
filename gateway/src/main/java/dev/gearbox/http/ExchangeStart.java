package dev.gearbox.http;

import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.ExchangeListener;
import dev.gearbox.time.Scheduler;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a request's {@link Exchange} begins and finishes, whichever way the request is served (the inbound
 * routes on Vert.x core, or the web router's {@link ExchangeHandler}): an {@code x-request-id} (the
 * client's, when it sent a usable one), the in-flight count, and the connection's head-timeout watch.
 */
public final class ExchangeStart {

    private static final int MAX_ID_LENGTH = 128;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final ExchangeListener listener;
    private final InFlight inFlight;
    private final Scheduler scheduler;
    private final HeadTimeout heads;

    private ExchangeStart(ExchangeListener listener, InFlight inFlight, Scheduler scheduler, HeadTimeout heads) {
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
    public static ExchangeStart of(ExchangeListener listener, InFlight inFlight, Scheduler scheduler, HeadTimeout heads) {
        return new ExchangeStart(listener, inFlight, scheduler, heads);
    }

    /** Begins the exchange of a request whose head has arrived; {@link #finish} must follow once. */
    Exchange begin(HttpServerRequest request) {
        String id = request.getHeader(GatewayHeaders.REQUEST_ID);
        if (!usable(id)) {
            id = newId();
        }
        Exchange exchange = Exchange.begin(id, request.method().name(), request.path(), request.headers(),
                scheduler.nanoTime(), listener);
        inFlight.started(exchange);
        heads.started(request.connection());
        return exchange;
    }

    /**
     * The response has ended, or the connection closed before it could ({@code cut}), which is a cancelled
     * exchange unless the gateway had already said how it ended.
     */
    void finish(Exchange exchange, HttpServerRequest request, boolean cut) {
        inFlight.ended(exchange);
        heads.ended(request.connection());
        if (cut && exchange.outcome() == null) {
            exchange.outcome("cancelled");
        }
        exchange.finish(request.response().getStatusCode(), scheduler.nanoTime());
    }

    /** Netty lets a line such as ": value" through as a header without a name; HTTP does not. */
    static boolean hasNamelessHeader(HttpServerRequest request) {
        return request.headers().contains("");
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
