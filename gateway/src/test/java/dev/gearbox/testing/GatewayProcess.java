package dev.gearbox.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gateway in a JVM of its own, the built jar ({@code target/gearbox.jar}, which {@code package} makes before
 * the integration tests run), so a test can crash it as a real replica crashes: SIGKILL, no drain, nothing
 * returned or written on the way out.
 */
public final class GatewayProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "gearbox.jar");

    private final int port;
    private final Process process;

    private GatewayProcess(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /**
     * Starts one from {@code config} ({@code %d} in it is the port) and waits until it is ready.
     *
     * @param dir where its config and log go
     */
    public static GatewayProcess start(Path dir, String name, String config) {
        int port = freePort();
        try {
            Path file = dir.resolve(name + ".yaml");
            Files.writeString(file, config.formatted(port));
            Process process = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx256m", "-XX:+UseSerialGC", "-jar", JAR.toString(), "--config", file.toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
            GatewayProcess gateway = new GatewayProcess(port, process);
            Eventually.await(Duration.ofSeconds(60), name + " ready on " + port, gateway::ready);
            return gateway;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public HttpResponse<String> get(String path) {
        try {
            return TestGateway.http().send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the gateway exited with " + process.exitValue() + " before it was ready");
        }
        try {
            return get("/health/ready").statusCode() == 200;
        } catch (UncheckedIOException notYet) {
            return false;
        }
    }

    /** Crashes it: SIGKILL, and waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
