package dev.gearbox.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.config.CacheConfig;
import dev.gearbox.config.ModelConfig;
import dev.gearbox.cost.Usage;
import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.AnswerStream;
import dev.gearbox.exchange.CacheOutcome;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.ExchangeListener;
import dev.gearbox.exchange.Stage;
import dev.gearbox.exchange.StreamEnd;
import dev.gearbox.exchange.WholeAnswer;
import dev.gearbox.routing.CacheMode;
import dev.gearbox.routing.RouteDecision;
import dev.gearbox.testing.ManualScheduler;
import dev.gearbox.testing.MutableClock;
import dev.gearbox.testing.RecordingObserver;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.ChatRequest;
import dev.gearbox.wire.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The cache stage with a real cache and a scripted rest of the pipeline. Every answer here is complete
 * before the next request arrives, so no request waits on one in flight (the path that needs a Vert.x context).
 */
class CacheStageTest {

    private static final ModelConfig MODEL = ModelConfig.of("m", "p");
    private static final ModelConfig OTHER = ModelConfig.of("fallback", "p");
    private static final String DETERMINISTIC = """
            {"model":"m","temperature":0,"messages":[{"role":"user","content":"hi"}]}""";
    private static final String CREATIVE = """
            {"model":"m","temperature":0.7,"messages":[{"role":"user","content":"hi"}]}""";
    private static final String STREAMED = """
            {"model":"m","temperature":0,"stream":true,"messages":[{"role":"user","content":"hi"}]}""";
    private static final String COMPLETION = """
            {"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,
             "message":{"role":"assistant","content":"Hello world"},"logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""";
    private static final String HEAD = "\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\"";
    private static final List<String> CHUNKS = List.of(
            "{" + HEAD + ",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
            "{" + HEAD + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}]}",
            "{" + HEAD + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" world\"},\"finish_reason\":null}]}",
            "{" + HEAD + ",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
    private static final String USAGE_CHUNK = "{" + HEAD
            + ",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}";

    private final ManualScheduler scheduler = new ManualScheduler();
    private final ResponseCache cache = new ResponseCache(new CacheConfig(true, 1_000_000L, 60L),
            new MutableClock(Instant.parse("2026-11-23T10:00:00Z")));
    private final CacheStage stage = CacheStage.of(cache, scheduler, model -> 60_000);
    private final ScriptedNext next = new ScriptedNext();

    @Test
    void aFallbacksAnswerIsNotStoredForTheRoutedModel() {
        Stage.Next fallback = exchange -> {
            exchange.answered(OTHER, "test", 1);
            return Future.succeededFuture(WholeAnswer.of(Buffer.buffer(COMPLETION), "application/json"));
        };

        stage.apply(exchange(DETERMINISTIC), fallback);
        Exchange second = exchange(DETERMINISTIC);
        next.answers(() -> Future.succeededFuture(WholeAnswer.of(Buffer.buffer(COMPLETION), "application/json")));
        stage.apply(second, next);

        assertThat(second.cache()).isEqualTo(CacheOutcome.MISS);
        assertThat(next.calls).isEqualTo(1);
    }

    @Test
    void aDeterministicRequestIsAnsweredFromTheCacheTheSecondTime() {
        next.answers(() -> Future.succeededFuture(WholeAnswer.of(Buffer.buffer(COMPLETION), "application/json")));

        Exchange first = exchange(DETERMINISTIC);
        whole(stage.apply(first, next));
        Exchange second = exchange(DETERMINISTIC);
        WholeAnswer hit = whole(stage.apply(second, next));

        assertThat(next.calls).isEqualTo(1);
        assertThat(first.cache()).isEqualTo(CacheOutcome.MISS);
        assertThat(second.cache()).isEqualTo(CacheOutcome.HIT);
        assertThat(hit.json()).isEqualTo(new JsonObject(COMPLETION));
        assertThat(second.usage()).isEqualTo(new Usage(3, 0, 2, 0, false));
        assertThat(second.answeredModelId()).isEqualTo("m");
    }

    @Test
    void aSeedMakesARequestDeterministic() {
        next.answers(() -> Future.succeededFuture(WholeAnswer.of(Buffer.buffer(COMPLETION), "application/json")));
        String seeded = """
                {"model":"m","temperature":0.7,"seed":42,"messages":[{"role":"user","content":"hi"}]}""";

        whole(stage.apply(exchange(seeded), next));
        Exchange second = exchange(seeded);
        whole(stage.apply(second, next));

        assertThat(next.calls).isEqualTo(1);
        assertThat(second.cache()).isEqualTo(CacheOutcome.HIT);
    }

    @Test
    void aNonDeterministicRequestBypassesTheCache() {
        next.answers(() -> Future.succeededFuture(WholeAnswer.of(Buffer.buffer(COMPLETION), "application/json")));

        Exchange first = exchange(CREATIVE);
        whole(stage.apply(first, next));
        Exchange second = exchange(CREATIVE);
        whole(stage.apply(second, next));

        assertThat(next.calls).isEqualTo(2);
        assertThat(first.cache()).isEqualTo(CacheOutcome.BYPASS);
        assertThat(second.cache()).isEqualTo(CacheOutcome.BYPASS);
    }

    @Test
    void forceCachesANonDeterministicRequest() {
        next.answers(() -> Future.succeededFuture(WholeAnswer.of(Buffer.buffer(COMPLETION), "application/json")));
        MultiMap force = MultiMap.caseInsensitiveMultiMap().add(CacheStage.CACHE_HEADER, "force");

        whole(stage.apply(exchange(CREATIVE, force), next));
        Exchange second = exchange(CREATIVE, force);
        whole(stage.apply(second, next));

        assertThat(next.calls).isEqualTo(1);
        assertThat(second.cache()).isEqualTo(CacheOutcome.HIT);
    }

    @Test
    void aRouteWithTheCacheOffBypassesIt() {
        next.answers(() -> Future.succeededFuture(WholeAnswer.of(Buffer.buffer(COMPLETION), "application/json")));

        Exchange first = exchange(DETERMINISTIC, MultiMap.caseInsensitiveMultiMap(), CacheMode.OFF);
        whole(stage.apply(first, next));
        whole(stage.apply(exchange(DETERMINISTIC, MultiMap.caseInsensitiveMultiMap(), CacheMode.OFF), next));

        assertThat(next.calls).isEqualTo(2);
        assertThat(first.cache()).isEqualTo(CacheOutcome.BYPASS);
    }

    @Test
    void noStoreAnswersWithoutKeepingTheAnswer() {
        next.answers(() -> Future.succeededFuture(WholeAnswer.of(Buffer.buffer(COMPLETION), "application/json")));

        Exchange noStore = exchange(DETERMINISTIC, MultiMap.caseInsensitiveMultiMap().add("Cache-Control", "no-store"));
        whole(stage.apply(noStore, next));
        Exchange after = exchange(DETERMINISTIC);
        whole(stage.apply(after, next));

        assertThat(next.calls).isEqualTo(2);
        assertThat(noStore.cache()).isEqualTo(CacheOutcome.MISS);
        assertThat(after.cache()).isEqualTo(CacheOutcome.MISS);
    }

    @Test
    void aFailedAnswerIsNotStored() {
        next.answers(() -> Future.failedFuture(new ApiException(502, "server_error", "upstream_error", null, "down")));
        Future<Answer> failed = stage.apply(exchange(DETERMINISTIC), next);
        assertThat(failed.failed()).isTrue();

        next.answers(() -> Future.succeededFuture(WholeAnswer.of(Buffer.buffer(COMPLETION), "application/json")));
        Exchange after = exchange(DETERMINISTIC);
        whole(stage.apply(after, next));

        assertThat(next.calls).isEqualTo(2);
        assertThat(after.cache()).isEqualTo(CacheOutcome.MISS);
    }

    @Test
    void anAnswerWithAnUnfinishedChoiceIsNotStored() {
        String unfinished = COMPLETION.replace("\"finish_reason\":\"stop\"", "\"finish_reason\":null");
        next.answers(() -> Future.succeededFuture(WholeAnswer.of(Buffer.buffer(unfinished), "application/json")));

        whole(stage.apply(exchange(DETERMINISTIC), next));
        whole(stage.apply(exchange(DETERMINISTIC), next));

        assertThat(next.calls).isEqualTo(2);
    }

    @Test
    void aStreamedAnswerThatEndedDoneIsStored() {
        next.answers(() -> Future.succeededFuture(stream(CHUNKS, StreamEnd.DONE)));

        RecordingObserver client = consume(stage.apply(exchange(STREAMED), next));
        assertThat(client.end()).isEqualTo(StreamEnd.DONE);
        Exchange after = exchange(DETERMINISTIC);
        WholeAnswer hit = whole(stage.apply(after, next));

        assertThat(next.calls).isEqualTo(1);
        assertThat(after.cache()).isEqualTo(CacheOutcome.HIT);
        assertThat(hit.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
                .isEqualTo("Hello world");
    }

    @Test
    void aStreamedAnswerKeepsTheUsageOfItsHiddenUsageChunk() {
        next.answers(() -> {
            AnswerStream stream = AnswerStream.of(noFlow());
            CHUNKS.forEach(c -> stream.emit(event(c)));
            stream.emitHidden(event(USAGE_CHUNK));
            stream.end(StreamEnd.DONE);
            return Future.succeededFuture(stream);
        });

        consume(stage.apply(exchange(STREAMED), next));
        Exchange after = exchange(DETERMINISTIC);
        whole(stage.apply(after, next));

        assertThat(after.usage()).isEqualTo(new Usage(3, 0, 2, 0, false));
    }

    @Test
    void aStreamedAnswerThatWasCutIsNotStored() {
        StreamEnd cut = new StreamEnd.Failed(new ApiException(502, "server_error", "upstream_stream_cut", null, "cut"));
        next.answers(() -> Future.succeededFuture(stream(CHUNKS.subList(0, 2), cut)));
        consume(stage.apply(exchange(STREAMED), next));
        next.answers(() -> Future.succeededFuture(stream(CHUNKS, StreamEnd.DONE)));

        Exchange after = exchange(STREAMED);
        consume(stage.apply(after, next));

        assertThat(next.calls).isEqualTo(2);
        assertThat(after.cache()).isEqualTo(CacheOutcome.MISS);
    }

    @Test
    void aStreamThatRelayedAnUpstreamErrorIsNotStored() {
        // Every choice finished, but upstream then sent an error event: the answer is not known to be whole.
        next.answers(() -> Future.succeededFuture(stream(CHUNKS, new StreamEnd.Relayed())));
        consume(stage.apply(exchange(STREAMED), next));
        next.answers(() -> Future.succeededFuture(stream(CHUNKS, StreamEnd.DONE)));

        consume(stage.apply(exchange(STREAMED), next));

        assertThat(next.calls).isEqualTo(2);
    }

    @Test
    void aStreamedRequestOnAHitReplaysTheAnswerEndingDone() {
        next.answers(() -> Future.succeededFuture(WholeAnswer.of(Buffer.buffer(COMPLETION), "application/json")));
        whole(stage.apply(exchange(DETERMINISTIC), next));

        Exchange streamed = exchange(STREAMED);
        RecordingObserver client = consume(stage.apply(streamed, next));

        assertThat(next.calls).isEqualTo(1);
        assertThat(streamed.cache()).isEqualTo(CacheOutcome.HIT);
        assertThat(client.end()).isEqualTo(StreamEnd.DONE);
        assertThat(client.events).isNotEmpty();
        assertThat(contentOf(client.events)).isEqualTo("Hello world");
        assertThat(new JsonObject(client.events.get(client.events.size() - 1)).getJsonArray("choices")
                .getJsonObject(0).getString("finish_reason")).isEqualTo("stop");
        // The client did not ask for usage, so it gets no usage chunk.
        assertThat(client.events).noneMatch(e -> e.contains("\"usage\":{"));
        assertThat(streamed.usage()).isEqualTo(new Usage(3, 0, 2, 0, false));
    }

    @Test
    void aReplayEndsWithTheUsageChunkWhenTheClientAskedForIt() {
        next.answers(() -> Future.succeededFuture(WholeAnswer.of(Buffer.buffer(COMPLETION), "application/json")));
        whole(stage.apply(exchange(DETERMINISTIC), next));

        RecordingObserver client = consume(stage.apply(exchange("""
                {"model":"m","temperature":0,"stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":"hi"}]}"""), next));

        JsonObject last = new JsonObject(client.events.get(client.events.size() - 1));
        assertThat(last.getJsonArray("choices")).isEmpty();
        assertThat(last.getJsonObject("usage").getInteger("total_tokens")).isEqualTo(5);
        assertThat(client.end()).isEqualTo(StreamEnd.DONE);
    }

    private Exchange exchange(String body) {
        return exchange(body, MultiMap.caseInsensitiveMultiMap());
    }

    private Exchange exchange(String body, MultiMap headers) {
        return exchange(body, headers, CacheMode.DETERMINISTIC);
    }

    private Exchange exchange(String body, MultiMap headers, CacheMode mode) {
        Exchange exchange = Exchange.begin("req", "POST", "/v1/chat/completions", headers, scheduler.nanoTime(),
                ExchangeListener.NONE);
        exchange.request(ChatRequest.parse(Buffer.buffer(body)));
        exchange.routed(new RouteDecision("default", MODEL, List.of(), 0.0, null, mode, null, "test"), null);
        return exchange;
    }

    private static WholeAnswer whole(Future<Answer> answer) {
        assertThat(answer.succeeded()).as("answered: %s", answer.cause()).isTrue();
        return (WholeAnswer) answer.result();
    }

    /** Reads a streamed answer to its end, as the inbound API does. */
    private static RecordingObserver consume(Future<Answer> answer) {
        assertThat(answer.succeeded()).as("answered: %s", answer.cause()).isTrue();
        RecordingObserver client = new RecordingObserver();
        ((AnswerStream) answer.result()).consume(client);
        return client;
    }

    /** A stream whose events are all there before anyone reads it; they are held until a consumer attaches. */
    private static AnswerStream stream(List<String> chunks, StreamEnd end) {
        AnswerStream stream = AnswerStream.of(noFlow());
        chunks.forEach(c -> stream.emit(event(c)));
        stream.end(end);
        return stream;
    }

    private static AnswerStream.Flow noFlow() {
        return new AnswerStream.Flow() {
            @Override
            public void pause() {
            }

            @Override
            public void resume() {
            }
        };
    }

    private static SseEvent event(String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        return new SseEvent(bytes, 0, bytes.length);
    }

    private static String contentOf(List<String> events) {
        StringBuilder text = new StringBuilder();
        for (String e : events) {
            JsonObject chunk = new JsonObject(e);
            if (!chunk.getJsonArray("choices").isEmpty()
                    && chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getValue("content")
                    instanceof String s) {
                text.append(s);
            }
        }
        return text.toString();
    }

    /** The rest of the pipeline: answers as scripted and counts how often it was asked. */
    private static final class ScriptedNext implements Stage.Next {
        int calls;
        private Supplier<Future<Answer>> answer;

        void answers(Supplier<Future<? extends Answer>> answer) {
            this.answer = () -> answer.get().map(a -> (Answer) a);
        }

        @Override
        public Future<Answer> apply(Exchange exchange) {
            calls++;
            // As the upstream stage does once an answer's first byte is good: the routed model answered.
            return answer.get().onSuccess(a -> exchange.answered(exchange.decision().model(), "test", 1));
        }
    }
}
