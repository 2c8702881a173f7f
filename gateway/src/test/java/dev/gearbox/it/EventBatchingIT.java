package dev.gearbox.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.RawUpstream;
import dev.gearbox.testing.RawUpstream.Reply;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events that arrive from upstream in one read leave for the client in one write (inbound/EventWriter):
 * one HTTP chunk on the client's connection, not one per event; events that arrive apart still leave at
 * once, each on its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventBatchingIT {

    @TempDir
    static Path rules;
    private static RawUpstream upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = RawUpstream.start();
        Files.writeString(rules.resolve("models.yaml"), "models:\n  - {id: raw-model, provider: raw}\n");
        Files.writeString(rules.resolve("routes.yaml"), "aliases: [auto]\nroutes:\n  - name: default\n    then: {models: [raw-model]}\n");
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 1}
                providers:
                  raw: {type: openai, base_url: "%s"}
                rules: {directory: "%s"}
                """.formatted(upstream.baseUrl(), rules), Map.of());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    // First, on a fresh upstream connection: Netty sizes each read from the ones before it, and after the other
    // test's small reads on the same pooled connection a read could end inside the 1 KB burst, splitting it.
    @Test
    @Order(1)
    void eventsThatArriveInOneReadLeaveInOneChunkAndLaterOnesAtOnce() throws Exception {
        StringBuilder burst = new StringBuilder();
        for (String word : new String[] {"one", " two", " three", " four", " five"}) {
            burst.append("data: ").append(chunk(word, null)).append("\n\n");
        }
        upstream.on("raw-model", Reply.sseHead().write(Reply.chunk(burst.toString())).pause(300)
                .write(Reply.chunk("data: " + chunk(" six", "stop") + "\n\n")).pause(300)
                .write(Reply.chunk("data: [DONE]\n\n")).write(Reply.LAST_CHUNK));

        List<String> chunks = streamedChunks("{\"model\":\"raw-model\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]}");

        assertThat(chunks).as("HTTP chunks the client got").hasSize(3);
        assertThat(events(chunks.get(0))).hasSize(5);
        assertThat(chunks.get(0)).contains("\"one\"").contains("\" five\"");
        assertThat(events(chunks.get(1))).hasSize(1);
        assertThat(chunks.get(1)).contains("\" six\"");
        assertThat(chunks.get(2)).isEqualTo("data: [DONE]\n\n");
    }

    @Test
    @Order(2)
    void framesGoOutAsTheGatewayWritesThemWhetherCopiedOrSentAsTheyCameIn() throws Exception {
        String[] words = {"a", "b", "c", "d", "e", "f"};
        // Only the first, second and last are framed as the gateway frames them, so they go out as they came in.
        String read = "data: " + chunk(words[0], null) + "\n\n" + "data: " + chunk(words[1], null) + "\n\n"
                + "data:" + chunk(words[2], null) + "\n\n" + "event: x\ndata: " + chunk(words[3], null) + "\n\n"
                + "data: " + chunk(words[4], null) + "\r\n\r\n" + "data: " + chunk(words[5], "stop") + "\n\n";
        upstream.on("raw-model", Reply.sseHead().write(Reply.chunk(read)).pause(100)
                .write(Reply.chunk("data: [DONE]\n\n")).write(Reply.LAST_CHUNK));

        List<String> chunks = streamedChunks("{\"model\":\"raw-model\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]}");

        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            expected.append("data: ").append(chunk(words[i], i == words.length - 1 ? "stop" : null)).append("\n\n");
        }
        // The frames' bytes are the claim here, not how they batch: on the pooled connection the first test used,
        // Netty may read the 1 KB in two, so the frames before [DONE] are compared joined.
        assertThat(chunks.get(chunks.size() - 1)).isEqualTo("data: [DONE]\n\n");
        assertThat(String.join("", chunks.subList(0, chunks.size() - 1))).isEqualTo(expected.toString());
    }

    /** The chunks of one streamed response on a raw connection, each as text. */
    private static List<String> streamedChunks(String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            String head = line(in);
            assertThat(head).startsWith("HTTP/1.1 200");
            while (!line(in).isEmpty()) {
                // headers
            }
            List<String> chunks = new ArrayList<>();
            for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
                chunks.add(new String(in.readNBytes(size), StandardCharsets.UTF_8));
                assertThat(line(in)).isEmpty();
            }
            return chunks;
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-line: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static List<String> events(String sse) {
        List<String> events = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ")) {
                events.add(line.substring(6));
            }
        }
        return events;
    }

    private static String chunk(String content, String finishReason) {
        return new JsonObject().put("id", "chatcmpl-raw").put("object", "chat.completion.chunk").put("created", 1)
                .put("model", "raw-model").put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("delta", new JsonObject().put("content", content)).put("finish_reason", finishReason)))
                .encode();
    }
}
