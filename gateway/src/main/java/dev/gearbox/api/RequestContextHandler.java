package dev.gearbox.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The first handler of every request: gives it a {@link RequestContext} and an {@code x-request-id},
 * echoing the client's id when it sent a usable one, and reports it to a listener when it ends.
 */
public final class RequestContextHandler implements Handler<RoutingContext> {

    private final RequestListener listener;
    private final InFlight inFlight;

    /**
     * @param listener told about every request when its response has ended
     * @param inFlight counts requests until their response has ended
     */
    public RequestContextHandler(RequestListener listener, InFlight inFlight) {
        this.listener = listener;
        this.inFlight = inFlight;
    }

    static final String REQUEST_ID = "x-request-id";
    private static final int MAX_ID_LENGTH = 128;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    @Override
    public void handle(RoutingContext rc) {
        String id = rc.request().getHeader(REQUEST_ID);
        if (!usable(id)) {
            id = newId();
        }
        RequestContext ctx = RequestContext.attach(rc, id, System.nanoTime());
        rc.response().putHeader(REQUEST_ID, id);
        inFlight.started();
        rc.addEndHandler(ar -> {
            inFlight.ended();
            if (ar.failed() && ctx.outcome() == null) {
                ctx.outcome("cancelled");
            }
            listener.finished(ctx, rc, System.nanoTime());
        });
        rc.next();
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
