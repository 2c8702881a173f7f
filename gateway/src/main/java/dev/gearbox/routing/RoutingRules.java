package dev.gearbox.routing;

import dev.gearbox.config.GearboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing rules in force, and their reloading when the rules directory changes.
 *
 * <p>A change is validated whole before it replaces anything; an invalid one is refused, logged and kept
 * as the last error, and the previous rules go on serving. Thread-safe: requests read {@link #current()}
 * on any event loop while a worker thread reloads.
 */
public final class RoutingRules {

    private static final Logger log = LoggerFactory.getLogger(RoutingRules.class);

    /** The directory used when the config names none and it exists in the working directory. */
    public static final String DEFAULT_DIRECTORY = "routing-rules";

    private final Path directory;
    private final RulesCompiler compiler;
    private final Clock clock;
    private final AtomicReference<RoutingTable> current;
    private final AtomicReference<ReloadError> lastError = new AtomicReference<>();
    private volatile String lastSeenVersion;
    private volatile java.util.function.Consumer<Boolean> reloadListener = applied -> { };

    /** The last refused change. */
    public record ReloadError(String message, String version, Instant at) {
    }

    private RoutingRules(Path directory, RulesCompiler compiler, Clock clock, RoutingTable initial) {
        this.directory = directory;
        this.compiler = compiler;
        this.clock = clock;
        this.current = new AtomicReference<>(initial);
        this.lastSeenVersion = initial.version();
    }

    /**
     * Loads the rules a gateway config points at: its rules directory, else {@code routing-rules/} in the
     * working directory when present, else the built-in rules. Throws {@link RulesException} when invalid.
     */
    public static RoutingRules load(GearboxConfig config, Clock clock) {
        Path directory = directoryOf(config);
        RulesCompiler compiler = RulesCompiler.forGateway(config, clock);
        RulesText text = directory == null ? RulesText.builtIn() : RulesText.read(directory);
        RoutingTable table = compiler.compile(text);
        log.info("routing rules {} loaded from {}: {} routes, {} models", table.version(), table.source(),
                table.rules().size(), table.catalog().models().size());
        return new RoutingRules(directory, compiler, clock, table);
    }

    static Path directoryOf(GearboxConfig config) {
        if (config.rules().directory() != null) {
            Path dir = Path.of(config.rules().directory());
            if (!Files.isDirectory(dir)) {
                throw new RulesException(java.util.List.of("rules.directory: '" + dir + "' is not a directory"));
            }
            return dir;
        }
        Path fallback = Path.of(DEFAULT_DIRECTORY);
        return Files.isDirectory(fallback) ? fallback : null;
    }

    /** Tells a listener about each reload: true when a change was applied, false when refused. */
    public void onReload(java.util.function.Consumer<Boolean> listener) {
        this.reloadListener = listener;
    }

    public RoutingTable current() {
        return current.get();
    }

    /**
     * Compiles an edit of the rule files with the gateway's own compiler and the difficulty weights in force,
     * without applying it: the table it would be, or a {@link RulesException} naming file, line and field.
     */
    public RoutingTable check(RulesText edit) {
        return compiler.compile(edit, current.get().weights());
    }

    /** The last refused change, or null when the newest files are the ones in force. */
    public ReloadError lastError() {
        return lastError.get();
    }

    /** Whether the rules come from a directory that can change. */
    public boolean reloadable() {
        return directory != null;
    }

    /**
     * Reads the directory and applies a change if there is one. Blocks on file I/O: call it from a worker
     * thread. Returns the table in force afterwards.
     */
    public synchronized RoutingTable reload() {
        if (directory == null) {
            return current.get();
        }
        RulesText text;
        try {
            text = RulesText.read(directory);
        } catch (RuntimeException e) {
            refuse(e.getMessage(), null);
            return current.get();
        }
        String version = text.version();
        if (version.equals(lastSeenVersion)) {
            return current.get();
        }
        lastSeenVersion = version;
        if (version.equals(current.get().version())) {
            // The files are back to the rules in force, as after reverting a refused edit.
            lastError.set(null);
            return current.get();
        }
        try {
            RoutingTable table = compiler.compile(text);
            RoutingTable previous = current.getAndSet(table);
            lastError.set(null);
            reloadListener.accept(true);
            log.info("routing rules {} applied (was {}): {} routes, {} models", version, previous.version(),
                    table.rules().size(), table.catalog().models().size());
            return table;
        } catch (RuntimeException e) {
            refuse(e.getMessage(), version);
            return current.get();
        }
    }

    private void refuse(String message, String version) {
        ReloadError error = new ReloadError(message, version, clock.instant());
        reloadListener.accept(false);
        ReloadError previous = lastError.getAndSet(error);
        if (previous == null || !message.equals(previous.message())) {
            log.error("routing rules change refused; rules {} keep serving:\n{}", current.get().version(), message);
        }
    }
}
