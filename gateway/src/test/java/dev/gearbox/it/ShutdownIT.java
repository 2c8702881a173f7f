package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Eventually;
import dev.gearbox.testing.TestGateway;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SIGTERM to a running gateway process, as Kubernetes sends it in a rolling update. */
@Timeout(120)
class ShutdownIT {

    @Test
    void onSigtermStreamsInFlightCompleteNewConnectionsAreRefusedAndTheProcessExits() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process gateway = new ProcessBuilder("java", "-jar", Path.of("target", "gearbox.jar").toString(), "--port",
                String.valueOf(port)).redirectErrorStream(true).start();
        try {
            CompletableFuture<Void> listening = new CompletableFuture<>();
            List<String> log = new ArrayList<>();
            Thread reader = new Thread(() -> read(gateway, log, listening), "gateway-log");
            reader.setDaemon(true);
            reader.start();
            listening.get(60, TimeUnit.SECONDS);

            // The simulated reasoning model takes about two seconds per answer: long enough to be cut by a careless shutdown.
            List<Iterator<String>> streams = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                HttpResponse<Stream<String>> response = TestGateway.http().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                        .header("content-type", "application/json").timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"reasoning\",\"stream\":true,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"Prove the theorem number " + i + "\"}]}"))
                        .build(), HttpResponse.BodyHandlers.ofLines());
                assertThat(response.statusCode()).isEqualTo(200);
                Iterator<String> lines = response.body().iterator();
                assertThat(lines.next()).startsWith("data: ");
                streams.add(lines);
            }

            long sigterm = System.nanoTime();
            // Process.destroy() would also close our end of the gateway's output, hiding its shutdown log.
            assertThat(new ProcessBuilder("kill", "-TERM", String.valueOf(gateway.pid())).start().waitFor()).isZero();

            Eventually.await(Duration.ofSeconds(5), "new connections are refused", () -> refused(port));
            for (Iterator<String> lines : streams) {
                String last = "";
                while (lines.hasNext()) {
                    String line = lines.next();
                    if (line.startsWith("data: ")) {
                        last = line;
                    }
                }
                assertThat(last).isEqualTo("data: [DONE]");
            }
            assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as("exited within the drain time").isTrue();
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - sigterm)).isLessThan(30);
            reader.join(10_000);
            synchronized (log) {
                assertThat(String.join("\n", log)).contains("draining requests in flight").contains("Gearbox stopped");
            }
        } finally {
            gateway.destroyForcibly();
        }
    }

    private static boolean refused(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void read(Process process, List<String> log, CompletableFuture<Void> listening) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (log) {
                    log.add(line);
                }
                if (line.contains("Gearbox listening")) {
                    listening.complete(null);
                }
            }
        } catch (IOException e) {
            listening.completeExceptionally(e);
        }
        listening.completeExceptionally(new AssertionError("gateway exited: " + log));
    }
}
