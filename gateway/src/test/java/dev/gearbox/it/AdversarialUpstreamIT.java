package dev.gearbox.it;

import static dev.gearbox.testing.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.RawUpstream;
import dev.gearbox.testing.RawUpstream.Reply;
import dev.gearbox.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway in front of an upstream that misbehaves at the byte level, one way per test. Each case
 * asserts docs/providers.md's promise for it: before the first good byte a retry or fallback, then a good answer
 * or an OpenAI-shaped 502/504; after it an error event and no {@code [DONE]}; never past the total
 * timeout; the upstream connection released once the gateway gives up; the gateway healthy afterwards.
 *
 * <p>Each test has its own model, so one test's breaker or retry budget cannot touch another's. Models
 * named {@code solo-*} have no fallback; every other model falls back to the instant simulator, so a
 * fallback shows as {@code x-gearbox-model: sim-cheap}.
 */
@Timeout(120)
class AdversarialUpstreamIT {

    private static final long FIRST_BYTE_MS = 1_500;
    private static final long IDLE_MS = 1_000;
    private static final long TOTAL_MS = 5_000;
    /** What a loaded two-core machine may add to a deadline before the test calls it a hang. */
    private static final long SLACK_MS = 1_500;
    /** How long after giving up the gateway may take to close the upstream connection. */
    private static final Duration RELEASE = Duration.ofSeconds(2);

    private static final List<String> FALLING_BACK = List.of(
            "stall-status", "stall-headers", "stall-body", "lie-long-close", "lie-long-open", "lie-short",
            "reset-before", "reset-body", "reset-stream", "garbage-balanced", "garbage-unbalanced", "error-in-200",
            "html", "sse-first-garbage", "sse-second-garbage", "sse-cut", "sse-stall", "sse-stall-first", "huge",
            "bad-utf8", "drip-stream", "drip-whole", "retry-after", "bad-status", "sse-pings", "sse-error-first",
            "sse-crlf", "sse-empty", "empty-200", "json-array-200", "close-delimited", "sse-bad-utf8");
    private static final List<String> SOLO = List.of("solo-stall", "solo-reset", "solo-garbage", "solo-cached-error",
            "solo-coalesce", "solo-coalesce-budget");
    /** A usage block that reads well, for bodies that are broken elsewhere: what is peeked at must not vouch for the rest. */
    private static final String USAGE = "\"usage\": {\"prompt_tokens\": 14, \"completion_tokens\": 2, \"total_tokens\": 16}";

    @TempDir
    static Path rules;
    private static RawUpstream upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = RawUpstream.start();
        String models = java.util.stream.Stream.concat(FALLING_BACK.stream(), SOLO.stream())
                // A latency budget sends a request to another model when its own is expected to be slower.
                .map(m -> "  - {id: " + m + ", provider: primary" + (m.endsWith("-budget")
                        ? ", latency: {first_token_ms: 100, total_ms: 500}" : "") + "}").collect(Collectors.joining("\n"));
        Files.writeString(rules.resolve("models.yaml"), "models:\n" + TestGateway.INSTANT_SIM_MODELS.indent(2) + models + "\n");
        String routes = FALLING_BACK.stream().map(m -> "  - name: " + m + "\n    when: {model: " + m + "}\n"
                + "    then: {models: [" + m + "], fallbacks: [sim-cheap], fallback_max_cost_ratio: 10}").collect(Collectors.joining("\n"));
        Files.writeString(rules.resolve("routes.yaml"), "aliases: [auto]\nroutes:\n" + routes + """

                  - name: default
                    then: {tier: cheap}
                """);
        gateway = TestGateway.start("""
                server: {host: 127.0.0.1, port: 0, event_loops: 1}
                providers:
                  primary: {type: openai, base_url: "%s"}
                  sim: {type: simulated}
                rules: {directory: "%s"}
                resilience:
                  defaults:
                    first_byte_timeout_ms: %d
                    idle_timeout_ms: %d
                    total_timeout_ms: %d
                    max_attempts: 2
                    backoff_initial_ms: 20
                    backoff_max_ms: 50
                """.formatted(upstream.baseUrl(), rules, FIRST_BYTE_MS, IDLE_MS, TOTAL_MS), Map.of());
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

    /** Whatever a misbehaving upstream did, the gateway is alive and still answers a normal request. */
    @AfterEach
    void theGatewayIsHealthyAfterwards() {
        assertThat(gateway.get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> normal = gateway.post("/v1/chat/completions", request("sim-cheap", false));
        assertThat(normal.statusCode()).as("a normal request after the test: %s", normal.body()).isEqualTo(200);
        assertThat(new JsonObject(normal.body()).getJsonArray("choices")).isNotEmpty();
    }

    // ---- Before the first byte: stalls ----

    @Test
    void aStallBeforeTheStatusLineIsRetriedThenFallsBackWithinTheDeadline() {
        upstream.on("stall-status", Reply.of().stall());

        Timed<String> response = chat("stall-status", false);

        assertFellBack(response, "stall-status", "timeout");
        assertThat(upstream.requests("stall-status")).isEqualTo(2);
        assertReleased("stall-status");
    }

    @Test
    void aStallBeforeTheStatusLineWithNoFallbackIsA504InOpenAiShapeWithinTheTotalTimeout() {
        upstream.on("solo-stall", Reply.of().stall());

        Timed<String> response = chat("solo-stall", false);

        JsonObject error = assertError(response.response(), 504, "server_error");
        assertThat(error.getString("code")).isEqualTo("upstream_timeout");
        assertWithinDeadline(response);
        assertReleased("solo-stall");
    }

    @Test
    void aStallAfterTheHeadersIsATimeoutAndFallsBack() {
        upstream.on("stall-headers", Reply.of().write(Reply.head(200, "Content-Type: application/json",
                "Content-Length: " + completion("late").length())).stall());

        Timed<String> response = chat("stall-headers", false);

        assertFellBack(response, "stall-headers", "timeout");
        assertReleased("stall-headers");
    }

    @Test
    void aStallMidBodyIsATimeoutAndFallsBack() {
        String body = completion("half");
        upstream.on("stall-body", Reply.of().write(Reply.head(200, "Content-Type: application/json",
                "Content-Length: " + body.length())).write(body.substring(0, body.length() / 2)).stall());

        Timed<String> response = chat("stall-body", false);

        assertFellBack(response, "stall-body", "timeout");
        assertReleased("stall-body");
    }

    // ---- Before the first byte: lying lengths, resets, wrong bytes ----

    @Test
    void aContentLengthLongerThanTheBodyThenACloseIsNeverAnAnswer() {
        String body = completion("short");
        upstream.on("lie-long-close", Reply.of().write(Reply.head(200, "Content-Type: application/json",
                "Content-Length: " + (body.length() + 100))).write(body).close());

        Timed<String> response = chat("lie-long-close", false);

        assertFellBack(response, "lie-long-close", null);
    }

    @Test
    void aContentLengthLongerThanTheBodyOnAnOpenConnectionTimesOutAndFallsBack() {
        String body = completion("waiting");
        upstream.on("lie-long-open", Reply.of().write(Reply.head(200, "Content-Type: application/json",
                "Content-Length: " + (body.length() + 100))).write(body).stall());

        Timed<String> response = chat("lie-long-open", false);

        assertFellBack(response, "lie-long-open", "timeout");
        assertReleased("lie-long-open");
    }

    @Test
    void aContentLengthShorterThanTheBodyIsNeverRelayedAsATruncatedAnswer() {
        // The bytes past the declared length stay on the connection, where a reused connection reads them as
        // the start of its next response.
        String body = completion("truncated");
        upstream.on("lie-short", Reply.of().write(Reply.head(200, "Content-Type: application/json",
                "Content-Length: " + (body.length() - 12))).write(body));

        Timed<String> response = chat("lie-short", false);

        assertFellBack(response, "lie-short", null);
    }

    @Test
    void aResetBeforeTheStatusLineFallsBack() {
        upstream.on("reset-before", Reply.of().reset());

        Timed<String> response = chat("reset-before", false);

        assertFellBack(response, "reset-before", null);
        assertThat(upstream.requests("reset-before")).isEqualTo(2);
    }

    @Test
    void aResetWithNoFallbackIsA502InOpenAiShape() {
        upstream.on("solo-reset", Reply.of().reset());

        Timed<String> response = chat("solo-reset", false);

        assertError(response.response(), 502, "server_error");
        assertWithinDeadline(response);
    }

    @Test
    void aResetMidBodyFallsBack() {
        String body = completion("cut");
        upstream.on("reset-body", Reply.of().write(Reply.head(200, "Content-Type: application/json",
                "Content-Length: " + body.length())).write(body.substring(0, body.length() / 2)).pause(50).reset());

        Timed<String> response = chat("reset-body", false);

        assertFellBack(response, "reset-body", null);
    }

    @Test
    void aGarbageStatusLineIsAFailedCallAndFallsBack() {
        upstream.on("bad-status", Reply.of().write("SSH-2.0-OpenSSH_9.6\r\nProtocol mismatch.\r\n").close());

        Timed<String> response = chat("bad-status", false);

        assertFellBack(response, "bad-status", null);
    }

    @Test
    void garbageWithBalancedBracketsInsteadOfJsonIsNeverAnAnswer() {
        // Balanced braces outside strings and a readable usage block, but missing commas: not JSON, no completion.
        upstream.on("garbage-balanced", Reply.json(200, "{\"id\": \"chatcmpl-garbage\", \"choices\": [{\"index\": 0 "
                + "\"message\": {\"role\": \"assistant\" \"content\": \"x\"}}], " + USAGE + "}"));

        Timed<String> response = chat("garbage-balanced", false);

        assertFellBack(response, "garbage-balanced", null);
        assertThat(response.body()).doesNotContain("chatcmpl-garbage");
    }

    @Test
    void garbageWithUnbalancedBracketsInsteadOfJsonIsNeverAnAnswer() {
        upstream.on("garbage-unbalanced", Reply.json(200, "{\"id\": \"chatcmpl-garbage\", \"choices\": ["));

        Timed<String> response = chat("garbage-unbalanced", false);

        assertFellBack(response, "garbage-unbalanced", "malformed");
    }

    @Test
    void garbageWithNoFallbackIsA502InOpenAiShape() {
        upstream.on("solo-garbage", Reply.json(200, "{\"id\": \"chatcmpl-garbage\", \"choices\": [{\"index\": 0 "
                + "\"message\": {}}], " + USAGE + "}"));

        Timed<String> response = chat("solo-garbage", false);

        assertError(response.response(), 502, "server_error");
        assertWithinDeadline(response);
    }

    @Test
    void a200WhoseBodyIsAnErrorWithNoChoicesIsNotAnAnswer() {
        upstream.on("error-in-200", Reply.json(200, "{\"error\":{\"message\":\"The server is overloaded\","
                + "\"type\":\"server_error\",\"param\":null,\"code\":null}}"));

        Timed<String> response = chat("error-in-200", false);

        assertFellBack(response, "error-in-200", null);
        assertThat(response.body()).doesNotContain("overloaded");
    }

    @Test
    void aNonAnswerIsNeverCachedForTheNextIdenticalRequest() {
        // Both attempts of the first request get an error inside a 200; the next identical request gets a real
        // answer from upstream, not the error replayed from the cache.
        String error = "{\"error\":{\"message\":\"The server is overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":null}}";
        upstream.on("solo-cached-error", Reply.json(200, error), Reply.json(200, error), Reply.json(200, completion("fresh")));
        String cacheable = new JsonObject(request("solo-cached-error", false)).put("temperature", 0).encode();

        HttpResponse<String> first = gateway.post("/v1/chat/completions", cacheable);
        HttpResponse<String> second = gateway.post("/v1/chat/completions", cacheable);

        assertThat(second.headers().firstValue("x-gearbox-cache")).as("the second answer: %s", second.body()).hasValue("miss");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(second.body()).getJsonArray("choices")).as("choices of the second answer: %s", second.body())
                .isNotNull();
        assertThat(new JsonObject(second.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
                .getString("content")).isEqualTo("fresh");
        assertError(first, 502, "server_error");
    }

    // ---- Identical requests in flight ----

    @Test
    void identicalRequestsWaitingOnAStalledLeaderAllEndWithinTheTotalTimeout() throws Exception {
        // The followers wait for the leader's call; when it fails they may call upstream themselves, but on
        // the clock that started when they arrived.
        upstream.on("solo-coalesce", Reply.of().stall());

        List<Timed<String>> answers = concurrently(3, new JsonObject(request("solo-coalesce", false)).put("temperature", 0).encode());

        for (Timed<String> answer : answers) {
            JsonObject error = assertError(answer.response(), 504, "server_error");
            assertThat(error.getString("code")).isEqualTo("upstream_timeout");
            assertWithinDeadline(answer);
        }
        assertReleased("solo-coalesce");
    }

    @Test
    void identicalRequestsWaitingOnAStalledLeaderAllEndWithinTheirLatencyBudget() throws Exception {
        upstream.on("solo-coalesce-budget", Reply.of().stall());

        List<Timed<String>> answers = concurrently(3, new JsonObject(request("solo-coalesce-budget", false))
                .put("temperature", 0).encode(), "x-gearbox-latency-budget-ms", "2000");

        for (Timed<String> answer : answers) {
            assertError(answer.response(), 504, "server_error");
            assertThat(answer.elapsedMs()).as("elapsed ms against a latency budget of 2000 ms").isLessThan(2_000 + SLACK_MS);
        }
        assertReleased("solo-coalesce-budget");
    }

    @Test
    void a200ThatIsAJsonArrayIsNotAnAnswer() {
        upstream.on("json-array-200", Reply.json(200, "[" + completion("in an array") + "]"));

        Timed<String> response = chat("json-array-200", false);

        assertFellBack(response, "json-array-200", null);
    }

    @Test
    void a200WithAnEmptyBodyIsNotAnAnswer() {
        upstream.on("empty-200", Reply.json(200, ""));

        Timed<String> response = chat("empty-200", false);

        assertFellBack(response, "empty-200", null);
    }

    @Test
    void a200WithAnHtmlContentTypeFallsBack() {
        upstream.on("html", Reply.body(200, "text/html", "<html><body>Down for maintenance</body></html>"
                .getBytes(StandardCharsets.UTF_8)));

        Timed<String> response = chat("html", false);

        assertFellBack(response, "html", "wrong_content_type");
        assertThat(response.body()).doesNotContain("maintenance");
    }

    @Test
    void invalidUtf8InAnAnswerNeverReachesTheClientAsASuccess() {
        // JSON between systems is UTF-8 (RFC 8259); a body that is not would reach an SDK as U+FFFD, silently.
        // C3 28 is a lead byte without its continuation; FF and FE never occur in UTF-8.
        String text = completion("caf#").replace("caf#", "caf\u00c3\u0028 \u00ff\u00fe");
        upstream.on("bad-utf8", Reply.body(200, "application/json", text.getBytes(StandardCharsets.ISO_8859_1)));

        Timed<byte[]> response = chatBytes("bad-utf8", false);

        assertThat(response.response().statusCode()).isIn(200, 502);
        assertThat(validUtf8(response.body())).as("the client's body is valid UTF-8: %s",
                new String(response.body(), StandardCharsets.UTF_8)).isTrue();
        assertWithinDeadline(response);
    }

    @Test
    void aHugeRetryAfterNeverHoldsTheRequestPastTheDeadline() {
        String limited = "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,"
                + "\"code\":\"rate_limit_exceeded\"}}";
        upstream.on("retry-after", Reply.of().write(Reply.head(429, "Content-Type: application/json", "Retry-After: 3600",
                "Content-Length: " + limited.length())).write(limited));

        Timed<String> response = chat("retry-after", false);

        assertThat(response.response().statusCode()).as(response.body()).isIn(200, 429);
        assertWithinDeadline(response);
        assertThat(response.elapsedMs()).isLessThan(FIRST_BYTE_MS);
    }

    @Test
    void anAnswerDelimitedByTheConnectionClosingIsRelayed() {
        // HTTP/1.1 allows a body with no length that ends when the server closes: a whole answer.
        upstream.on("close-delimited", Reply.of().write(Reply.head(200, "Content-Type: application/json", "Connection: close"))
                .write(completion("close-delimited")).close());

        Timed<String> response = chat("close-delimited", false);

        assertThat(response.response().statusCode()).isEqualTo(200);
        assertThat(response.response().headers().firstValue("x-gearbox-model")).hasValue("close-delimited");
        assertThat(new JsonObject(response.body()).getString("id")).isEqualTo("chatcmpl-raw");
    }

    // ---- Slow but steady ----

    @Test
    void aSlowDripThatStaysUnderTheIdleTimeoutSucceedsAsAStream() {
        // The first event within the first-byte time, then every write 700 ms after the last: never idle for
        // the 1,000 ms allowed, though the whole stream takes longer than the first-byte time.
        String first = "data: " + chunk("one", null) + "\n\n";
        int half = first.length() / 2;
        Reply reply = Reply.sseHead().write(Reply.chunk(first.substring(0, half))).pause(400)
                .write(Reply.chunk(first.substring(half))).pause(700)
                .write(Reply.chunk("data: " + chunk(" two", null) + "\n\n")).pause(700)
                .write(Reply.chunk("data: " + chunk("", "stop") + "\n\n")).pause(700)
                .write(Reply.chunk("data: [DONE]\n\n")).write(Reply.LAST_CHUNK);
        upstream.on("drip-stream", reply);

        Timed<String> response = chat("drip-stream", true);

        assertThat(response.response().statusCode()).isEqualTo(200);
        assertThat(response.response().headers().firstValue("x-gearbox-model")).hasValue("drip-stream");
        assertThat(text(response.body())).isEqualTo("one two");
        assertThat(response.body()).endsWith("data: [DONE]\n\n");
    }

    @Test
    void aSlowDripOfAWholeAnswerThatStaysUnderTheIdleTimeoutSucceeds() {
        // The head comes at once, the body over 2.4 s in gaps of 300 ms: the first byte was on time and the
        // upstream was never idle, so nothing timed out.
        byte[] body = completion("dripped").getBytes(StandardCharsets.UTF_8);
        upstream.on("drip-whole", Reply.of().write(Reply.head(200, "Content-Type: application/json",
                "Content-Length: " + body.length)).drip(body, (body.length + 8) / 9, 300));

        Timed<String> response = chat("drip-whole", false);

        assertThat(response.response().statusCode()).isEqualTo(200);
        assertThat(response.response().headers().firstValue("x-gearbox-model")).as("fallbacks: %s",
                response.response().headers().firstValue("x-gearbox-fallbacks")).hasValue("drip-whole");
        assertThat(new JsonObject(response.body()).getString("id")).isEqualTo("chatcmpl-raw");
    }

    // ---- Streams before their first event ----

    @Test
    void aStreamWhoseFirstEventIsNotJsonFallsBackToOneCleanStream() {
        upstream.on("sse-first-garbage", Reply.sse(0, "{\"id\":\"x\",\"choices\":[{{{", chunk("late", "stop"), "[DONE]"));

        Timed<String> response = chat("sse-first-garbage", true);

        assertCleanFallbackStream(response, "sse-first-garbage");
        assertThat(response.body()).doesNotContain("{{{");
    }

    @Test
    void aStreamWhoseFirstEventIsAnErrorFallsBack() {
        upstream.on("sse-error-first", Reply.sse(0, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\","
                + "\"param\":null,\"code\":null}}", "[DONE]"));

        Timed<String> response = chat("sse-error-first", true);

        assertCleanFallbackStream(response, "sse-error-first");
    }

    @Test
    void aStreamThatIsDoneBeforeAnyEventFallsBack() {
        upstream.on("sse-empty", Reply.sse(0, "[DONE]"));

        Timed<String> response = chat("sse-empty", true);

        assertCleanFallbackStream(response, "sse-empty");
    }

    @Test
    void aStreamThatStallsBeforeItsFirstEventFallsBack() {
        upstream.on("sse-stall-first", Reply.sseHead().stall());

        Timed<String> response = chat("sse-stall-first", true);

        assertCleanFallbackStream(response, "sse-stall-first");
        assertWithinDeadline(response);
        assertReleased("sse-stall-first");
    }

    // ---- Streams after their first event ----

    @Test
    void aStreamWhoseSecondEventIsGarbageEndsWithAnErrorEventAndNoDone() {
        upstream.on("sse-second-garbage", Reply.sse(0, chunk("one", null), "{\"id\":\"x\",\"choices\":[{{{",
                chunk(" two", "stop"), "[DONE]"));

        Timed<String> response = chat("sse-second-garbage", true);

        assertCutStream(response, "sse-second-garbage", "one");
        assertThat(response.body()).doesNotContain("{{{");
    }

    @Test
    void aStreamThatEndsWithoutDoneOrFinishReasonEndsWithAnErrorEvent() {
        upstream.on("sse-cut", Reply.sse(0, chunk("one", null), chunk(" two", null)));

        Timed<String> response = chat("sse-cut", true);

        JsonObject error = assertCutStream(response, "sse-cut", "one two");
        assertThat(error.getString("code")).isEqualTo("upstream_stream_cut");
    }

    @Test
    void aResetAfterTheFirstEventEndsTheStreamWithAnErrorEventAndNoDone() {
        upstream.on("reset-stream", Reply.sseHead().write(Reply.chunk("data: " + chunk("one", null) + "\n\n")).pause(100).reset());

        Timed<String> response = chat("reset-stream", true);

        assertCutStream(response, "reset-stream", "one");
    }

    @Test
    void aStreamThatStallsMidStreamEndsWithAnIdleTimeoutErrorAndReleasesTheUpstream() {
        upstream.on("sse-stall", Reply.sseHead().write(Reply.chunk("data: " + chunk("one", null) + "\n\n"))
                .write(Reply.chunk("data: " + chunk(" two", null) + "\n\n")).stall());

        Timed<String> response = chat("sse-stall", true);

        JsonObject error = assertCutStream(response, "sse-stall", "one two");
        assertThat(error.getString("code")).isEqualTo("upstream_idle_timeout");
        assertThat(response.elapsedMs()).isLessThan(IDLE_MS + SLACK_MS);
        // A provider left streaming keeps generating, and billing, tokens nobody reads.
        assertReleased("sse-stall");
    }

    @Test
    void aStreamKeptAliveByCommentsAloneEndsAtTheDeadlineWithAnErrorEvent() {
        Reply reply = Reply.sseHead().write(Reply.chunk("data: " + chunk("one", null) + "\n\n"));
        for (int i = 0; i < 40; i++) {
            reply = reply.pause(400).write(Reply.chunk(": keep-alive\n\n"));
        }
        upstream.on("sse-pings", reply.write(Reply.chunk("data: " + chunk("", "stop") + "\n\n")).write(Reply.LAST_CHUNK));

        Timed<String> response = chat("sse-pings", true);

        assertCutStream(response, "sse-pings", "one");
        assertWithinDeadline(response);
        assertReleased("sse-pings");
    }

    @Test
    void aStreamWithCrLfLineEndingsIsRelayedWhole() {
        // Server-sent events may end lines with CRLF; such a stream is whole, not malformed.
        Reply reply = Reply.sseHead();
        for (String event : List.of(chunk("one", null), chunk(" two", "stop"), "[DONE]")) {
            reply = reply.write(Reply.chunk("data: " + event + "\r\n\r\n"));
        }
        upstream.on("sse-crlf", reply.write(Reply.LAST_CHUNK));

        Timed<String> response = chat("sse-crlf", true);

        assertThat(response.response().statusCode()).isEqualTo(200);
        assertThat(response.response().headers().firstValue("x-gearbox-model")).hasValue("sse-crlf");
        assertThat(text(response.body())).isEqualTo("one two");
        assertThat(response.body()).endsWith("data: [DONE]\n\n");
    }

    @Test
    void invalidUtf8InAStreamNeverReachesTheClient() {
        byte[] bad = ("data: " + chunk("caf#", null) + "\n\n").getBytes(StandardCharsets.UTF_8);
        String latin = new String(bad, StandardCharsets.ISO_8859_1).replace("caf#", "caf\u00c3\u0028\u00ff");
        Reply reply = Reply.sseHead().write(Reply.chunk(latin.getBytes(StandardCharsets.ISO_8859_1)))
                .write(Reply.chunk("data: " + chunk("", "stop") + "\n\n")).write(Reply.chunk("data: [DONE]\n\n"))
                .write(Reply.LAST_CHUNK);
        upstream.on("sse-bad-utf8", reply);

        Timed<byte[]> response = chatBytes("sse-bad-utf8", true);

        assertThat(response.response().statusCode()).isEqualTo(200);
        assertThat(validUtf8(response.body())).as("the client's stream is valid UTF-8: %s",
                new String(response.body(), StandardCharsets.UTF_8)).isTrue();
    }

    // ---- Size ----

    @Test
    void aHugeValidAnswerToACacheableRequestIsA200() {
        String content = "a".repeat(20 * 1024 * 1024);
        upstream.on("huge", Reply.json(200, completion(content)));

        Timed<String> response = timed(() -> gateway.post("/v1/chat/completions", new JsonObject(request("huge", false))
                .put("temperature", 0).encode()));

        assertThat(response.response().statusCode()).as("fallbacks: %s, body: %.300s",
                response.response().headers().firstValue("x-gearbox-fallbacks"), response.body()).isEqualTo(200);
        assertThat(response.response().headers().firstValue("x-gearbox-model")).hasValue("huge");
        // Through the cache, which is where a parse of the answer can fail it.
        assertThat(response.response().headers().firstValue("x-gearbox-cache")).hasValue("miss");
        assertThat(response.body().length()).isGreaterThan(content.length());
        assertThat(upstream.requests("huge")).isEqualTo(1);
    }

    // ---- Assertions ----

    /** The primary failed before its first byte (with {@code code} in the path, when given); the simulator answered. */
    private static void assertFellBack(Timed<String> response, String model, String code) {
        HttpResponse<String> r = response.response();
        String path = r.headers().firstValue("x-gearbox-fallbacks").orElse("");
        assertThat(r.statusCode()).as("status; fallbacks %s; body %.300s", path, r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-gearbox-model")).as("the model that answered; fallbacks %s; body %.300s",
                path, r.body()).hasValue("sim-cheap");
        assertThat(path).startsWith(model + "=").endsWith(",sim-cheap=ok").doesNotContain(model + "=ok");
        if (code != null) {
            assertThat(path).contains(model + "=" + code);
        }
        assertThat(new JsonObject(r.body()).getJsonArray("choices")).isNotEmpty();
        assertWithinDeadline(response);
    }

    private static void assertCleanFallbackStream(Timed<String> response, String model) {
        HttpResponse<String> r = response.response();
        String path = r.headers().firstValue("x-gearbox-fallbacks").orElse("");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-gearbox-model")).as("fallbacks %s; body %.500s", path, r.body()).hasValue("sim-cheap");
        assertThat(path).startsWith(model + "=").endsWith(",sim-cheap=ok");
        assertThat(r.body()).endsWith("data: [DONE]\n\n").doesNotContain("\"error\"");
        for (String event : events(r.body())) {
            if (!event.equals("[DONE]")) {
                assertThat(new JsonObject(event).getString("object")).isEqualTo("chat.completion.chunk");
            }
        }
        assertWithinDeadline(response);
    }

    /**
     * The stream was committed on {@code model}, relayed {@code text}, then ended with an OpenAI-shaped error
     * event and no {@code [DONE]}; returns the error.
     */
    private static JsonObject assertCutStream(Timed<String> response, String model, String text) {
        HttpResponse<String> r = response.response();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-gearbox-model")).hasValue(model);
        assertThat(r.body()).as("a cut stream has no clean end").doesNotContain("[DONE]");
        List<String> events = events(r.body());
        assertThat(events).as("events of %s", r.body()).isNotEmpty();
        JsonObject last = new JsonObject(events.get(events.size() - 1));
        JsonObject error = last.getJsonObject("error");
        assertThat(error).as("the last event is an error: %s", r.body()).isNotNull();
        assertThat(error.fieldNames()).containsExactlyInAnyOrder("message", "type", "param", "code");
        assertThat(error.getString("type")).isEqualTo("server_error");
        for (String event : events.subList(0, events.size() - 1)) {
            assertThat(new JsonObject(event).getString("object")).as("every event before the error is a chunk")
                    .isEqualTo("chat.completion.chunk");
        }
        assertThat(text(r.body())).isEqualTo(text);
        assertWithinDeadline(response);
        return error;
    }

    private static void assertWithinDeadline(Timed<?> response) {
        assertThat(response.elapsedMs()).as("elapsed ms, against a total timeout of %d", TOTAL_MS)
                .isLessThan(TOTAL_MS + SLACK_MS);
    }

    /** Every upstream connection of the model is closed by now, or soon: nothing is left generating. */
    private static void assertReleased(String model) {
        List<RawUpstream.Connection> connections = upstream.connections(model);
        assertThat(connections).isNotEmpty();
        for (RawUpstream.Connection connection : connections) {
            assertThat(connection.awaitClosed(RELEASE)).as("%s of %s closed within %d ms after the gateway gave up",
                    connection, model, RELEASE.toMillis()).isTrue();
        }
    }

    // ---- Requests and answers ----

    record Timed<T>(HttpResponse<T> response, long elapsedMs) {
        T body() {
            return response.body();
        }
    }

    private static Timed<String> chat(String model, boolean stream) {
        return timed(() -> gateway.post("/v1/chat/completions", request(model, stream)));
    }

    /** The same request sent {@code n} times at once, each on its own thread and connection. */
    private static List<Timed<String>> concurrently(int n, String body, String... headers) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            List<java.util.concurrent.Future<Timed<String>>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                calls.add(pool.submit(() -> timed(() -> gateway.post("/v1/chat/completions", body, headers))));
            }
            List<Timed<String>> answers = new ArrayList<>();
            for (java.util.concurrent.Future<Timed<String>> call : calls) {
                answers.add(call.get(30, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Timed<byte[]> chatBytes(String model, boolean stream) {
        HttpRequest http = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request(model, stream))).build();
        return timed(() -> {
            try {
                return TestGateway.http().send(http, HttpResponse.BodyHandlers.ofByteArray());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private static <T> Timed<T> timed(java.util.function.Supplier<HttpResponse<T>> call) {
        long start = System.nanoTime();
        HttpResponse<T> response = call.get();
        return new Timed<>(response, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    private static String request(String model, boolean stream) {
        return new JsonObject().put("model", model).put("stream", stream).put("messages", new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", "What is the capital of France?"))).encode();
    }

    private static String completion(String content) {
        return new JsonObject().put("id", "chatcmpl-raw").put("object", "chat.completion").put("created", 1)
                .put("model", "gpt-4o-mini").put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("message", new JsonObject().put("role", "assistant").put("content", content))
                        .put("finish_reason", "stop")))
                .put("usage", new JsonObject().put("prompt_tokens", 14).put("completion_tokens", 2).put("total_tokens", 16))
                .encode();
    }

    private static String chunk(String content, String finishReason) {
        return new JsonObject().put("id", "chatcmpl-raw").put("object", "chat.completion.chunk").put("created", 1)
                .put("model", "gpt-4o-mini").put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("delta", new JsonObject().put("content", content)).put("finish_reason", finishReason)))
                .encode();
    }

    /** The {@code data:} payloads of a stream, in order. */
    private static List<String> events(String sse) {
        List<String> events = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ")) {
                events.add(line.substring(6).strip());
            }
        }
        return events;
    }

    /** The text the stream's chunks carry. */
    private static String text(String sse) {
        StringBuilder text = new StringBuilder();
        for (String event : events(sse)) {
            if (event.equals("[DONE]")) {
                continue;
            }
            JsonObject json = new JsonObject(event);
            JsonArray choices = json.getJsonArray("choices");
            if (choices != null) {
                for (Object choice : choices) {
                    JsonObject delta = ((JsonObject) choice).getJsonObject("delta");
                    if (delta != null && delta.getString("content") != null) {
                        text.append(delta.getString("content"));
                    }
                }
            }
        }
        return text.toString();
    }

    private static boolean validUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
