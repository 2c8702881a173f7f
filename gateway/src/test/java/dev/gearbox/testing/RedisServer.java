package dev.gearbox.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (from Debian's package, see {@code .ci/run}) on a free loopback port, for one
 * test class. It appends every write to a file in {@code dir}, so a stop and start keep the data, as a
 * production Redis with persistence does. {@code GEARBOX_REDIS_SERVER} names another binary that speaks the
 * same protocol (Valkey's {@code valkey-server}), to run every Redis test against it.
 */
public final class RedisServer implements AutoCloseable {

    /** The server binary: redis-server unless GEARBOX_REDIS_SERVER names another (valkey-server). */
    public static final String BINARY = System.getenv().getOrDefault("GEARBOX_REDIS_SERVER", "redis-server");

    private final int port;
    private final Path dir;
    private final List<String> options;
    private Process process;

    private RedisServer(int port, Path dir, List<String> options) {
        this.port = port;
        this.dir = dir;
        this.options = List.copyOf(options);
    }

    public static RedisServer start(Path dir) {
        return start(dir, List.of());
    }

    /**
     * A server with more options ({@code --cluster-enabled yes}, {@code --replicaof ...}); a first option that is
     * a file is a config file, as a sentinel needs ({@code sentinel.conf --sentinel}).
     */
    public static RedisServer start(Path dir, List<String> options) {
        boolean cluster = options.contains("--cluster-enabled");
        // A port free when chosen can be taken before redis-server binds it, by a server of another test run
        // on the same machine; then the PING would be answered by that server, so it is checked and retried.
        for (int attempt = 1; ; attempt++) {
            RedisServer server = new RedisServer(cluster ? freeClusterPort() : freePort(), dir, options);
            try {
                server.start();
                return server;
            } catch (IllegalStateException portTaken) {
                server.stop();
                if (attempt == 5) {
                    throw portTaken;
                }
            }
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** The gateway config that keeps its state in this server, failing open or closed while it is down. */
    public String stateConfig(String onUnavailable) {
        return """
                state:
                  redis: {url: "%s", on_unavailable: %s}
                """.formatted(url(), onUnavailable);
    }

    public int port() {
        return port;
    }

    /** Starts it again on the same port, with the data it had. */
    public synchronized void start() {
        List<String> command = new ArrayList<>(List.of(BINARY));
        boolean sentinel = options.contains("--sentinel");
        if (sentinel) {
            // A sentinel's config file comes first, and it keeps no data of its own.
            command.addAll(options);
            command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString()));
        } else {
            command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                    "yes", "--appendfsync", "always", "--dir", dir.toString()));
            command.addAll(options);
        }
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis-" + port + ".log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(BINARY + " could not start (is it installed? see .ci/run)", e);
        }
        Eventually.await(Duration.ofSeconds(10), "redis-server answering PING on " + port, this::answers);
        if (!info().contains("process_id:" + process.pid() + "\r\n")) {
            throw new IllegalStateException("port " + port + " is answered by another redis-server than the one started");
        }
    }

    /** The server's {@code INFO server} section. */
    private String info() {
        return info("server");
    }

    /**
     * A section of the server's {@code INFO} ({@code cpu}, {@code commandstats}, {@code replication}, ...): one
     * bulk string, read by its length (a sentinel knows no QUIT to end the connection with).
     */
    public String info(String section) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(("INFO " + section + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder header = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                if (c != '\r') {
                    header.append((char) c);
                }
            }
            if (header.length() == 0 || header.charAt(0) != '$') {
                throw new IllegalStateException("INFO " + section + " answered: " + header);
            }
            return new String(in.readNBytes(Integer.parseInt(header.substring(1))), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills it (SIGKILL): what it had not written to its append-only file, or to its replicas, is gone. */
    public synchronized void kill() {
        if (process != null) {
            signal("-CONT");
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    public Path dir() {
        return dir;
    }

    /**
     * Runs {@code redis-cli} against it (Debian's redis-tools, which redis-server depends on) and returns all it
     * printed: for the answers of more than one line (CLUSTER NODES, INFO, SENTINEL ...).
     */
    public String cli(String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!cli.waitFor(10, TimeUnit.SECONDS)) {
                cli.destroyForcibly();
                throw new IllegalStateException("redis-cli " + String.join(" ", args) + ": no answer in 10 s");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether its process is running. */
    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** Stops it, as a crash or an outage would. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        // A paused server would not hear the SIGTERM until it went on.
        signal("-CONT");
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * Freezes it (SIGSTOP): its connections stay open but nothing is answered, as a Redis that is swapping,
     * stuck on a slow disk or behind a network that drops packets; {@link #resume} lets it go on.
     */
    public synchronized void pause() {
        if (!signal("-STOP")) {
            throw new IllegalStateException("redis-server " + process.pid() + " could not be paused");
        }
    }

    /** Lets a paused server go on (SIGCONT), with every command sent meanwhile still to run. */
    public synchronized void resume() {
        if (!signal("-CONT")) {
            throw new IllegalStateException("redis-server " + process.pid() + " could not be resumed");
        }
    }

    /** Sends the server a signal; false when it could not (it has exited). */
    private boolean signal(String signal) {
        try {
            return new ProcessBuilder("kill", signal, Long.toString(process.pid())).start().waitFor() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How many times the server ran a command ({@code evalsha}, {@code eval}, ...), from {@code INFO commandstats}. */
    public long calls(String command) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("cmdstat_" + command + ":calls=(\\d+)")
                .matcher(info("commandstats"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Sends one command in Redis's inline form and returns the first line of the answer. */
    public String command(String line) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                if (c != '\r') {
                    answer.append((char) c);
                }
            }
            return answer.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean answers() {
        try {
            return "+PONG".equals(command("PING"));
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** A port whose cluster bus port, 10,000 above it, is free too. */
    private static int freeClusterPort() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 100; i++) {
            int port = random.nextInt(20_000, 30_000);
            if (free(port) && free(port + 10_000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port with a free cluster bus port");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
