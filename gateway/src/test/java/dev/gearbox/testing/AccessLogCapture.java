package dev.gearbox.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * The access log lines written while it is open, kept in a list rather than printed: access lines are off in
 * tests (logback-test.xml), so opening one turns them on for the {@code gearbox.access} logger until closed.
 */
public final class AccessLogCapture implements AutoCloseable {

    private final Logger access = (Logger) LoggerFactory.getLogger("gearbox.access");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Level level;

    private AccessLogCapture() {
        logged.start();
        level = access.getLevel();
        access.setLevel(Level.INFO);
        access.setAdditive(false);
        access.addAppender(logged);
    }

    public static AccessLogCapture start() {
        return new AccessLogCapture();
    }

    /** Every line so far, as written. */
    public List<String> lines() {
        synchronized (logged.list) {
            return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** The first line that matches, waiting for it up to five seconds: a line is written when its response has ended. */
    public JsonObject await(String what, Predicate<JsonObject> match) {
        Eventually.await(Duration.ofSeconds(5), what, () -> lines().stream().map(JsonObject::new).anyMatch(match));
        return lines().stream().map(JsonObject::new).filter(match).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        access.detachAppender(logged);
        access.setAdditive(true);
        access.setLevel(level);
    }
}
