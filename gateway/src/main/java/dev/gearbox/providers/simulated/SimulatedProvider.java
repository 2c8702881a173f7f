package dev.gearbox.providers.simulated;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.SimulationConfig;
import dev.gearbox.providers.Authentication;
import dev.gearbox.providers.CanonicalTranslator;
import dev.gearbox.providers.UpstreamTarget;
import dev.gearbox.providers.Translator;
import dev.gearbox.wire.Operation;
import dev.gearbox.wire.Request;
import dev.gearbox.providers.Provider;
import dev.gearbox.providers.UpstreamRequest;
import dev.gearbox.providers.UpstreamResponse;
import dev.gearbox.tokens.TokenCounter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Built-in models that answer locally, in OpenAI's wire format, with configurable latency.
 *
 * <p>They let a newcomer run the gateway with no API keys and let tests and benchmarks exercise the
 * same relay code a real provider does: answers leave here as JSON bodies or SSE bytes.
 */
public final class SimulatedProvider implements Provider {

    private static final String FINGERPRINT = "fp_gearbox_sim";
    private static final UpstreamTarget LOCAL = UpstreamTarget.post("/", Authentication.NONE);

    private final Vertx vertx;
    private final Clock clock;
    private final TokenCounter tokens;
    private final SimulatedChat chat;
    private final SimulatedEmbeddings embeddings;
    private final SimulatedModerations moderations = new SimulatedModerations();

    public SimulatedProvider(Vertx vertx, Clock clock, TokenCounter tokens) {
        this.vertx = vertx;
        this.clock = clock;
        this.tokens = tokens;
        this.chat = new SimulatedChat(tokens);
        this.embeddings = new SimulatedEmbeddings(tokens);
    }

    @Override
    public Translator translator(Request request, ModelConfig model) {
        // The simulator answers in the canonical form itself, and is called, not reached at a URL.
        return CanonicalTranslator.of(request.operation(), LOCAL);
    }

    @Override
    public Future<UpstreamResponse> send(UpstreamRequest request) {
        if (request.operation() == Operation.EMBEDDINGS) {
            return Future.succeededFuture(embeddings.answer(request.body().json()));
        }
        if (request.operation() == Operation.MODERATIONS) {
            return Future.succeededFuture(moderations.answer(request.body().json(), request.model().upstream()));
        }
        SimulationConfig sim = request.model().simulation();
        if (sim.failureRate() > 0 && ThreadLocalRandom.current().nextDouble() < sim.failureRate()) {
            JsonObject error = failure(sim.failureStatus(), request.model().upstream());
            return Future.succeededFuture(SimulatedResponse.json(sim.failureStatus(), error.toBuffer()));
        }
        SimulatedAnswer answer = chat.answer(request.body().json(), sim);
        long created = clock.instant().getEpochSecond();
        String model = request.model().upstream();
        boolean includeUsage = request.body().json().getValue("stream_options") instanceof JsonObject o
                && Boolean.TRUE.equals(o.getValue("include_usage"));
        if (request.stream()) {
            return Future.succeededFuture(streamed(request, answer, model, created, includeUsage, sim));
        }
        Buffer body = completion(answer, model, created).toBuffer();
        long delay = sim.firstTokenMs() + sim.tokenMs() * answer.completionTokens();
        if (delay == 0) {
            return Future.succeededFuture(SimulatedResponse.json(200, body));
        }
        Promise<UpstreamResponse> promise = Promise.promise();
        long timer = vertx.setTimer(delay, id -> promise.tryComplete(SimulatedResponse.json(200, body)));
        request.cancellation().onCancel(() -> vertx.cancelTimer(timer));
        return promise.future();
    }

    /** A failure body as OpenAI sends one for that status, so clients and the gateway see the real shape. */
    static JsonObject failure(int status, String model) {
        String message;
        String type;
        String code = null;
        switch (status) {
            case 429 -> {
                message = "Rate limit reached for " + model + " in organization org-gearbox-sim on requests per min "
                        + "(RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms.";
                type = "requests";
                code = "rate_limit_exceeded";
            }
            case 500 -> {
                message = "The server had an error while processing your request. Sorry about that!";
                type = "server_error";
            }
            case 502, 503, 504 -> {
                message = "The server is overloaded or not ready yet.";
                type = "server_error";
            }
            default -> {
                message = "Simulated failure of " + model + " with HTTP " + status + ".";
                type = status >= 500 ? "server_error" : "invalid_request_error";
            }
        }
        return new JsonObject().put("error", new JsonObject().put("message", message).put("type", type)
                .putNull("param").put("code", code));
    }

    private JsonObject completion(SimulatedAnswer answer, String model, long created) {
        JsonArray choices = new JsonArray();
        for (int i = 0; i < answer.choices().size(); i++) {
            SimulatedAnswer.Choice c = answer.choices().get(i);
            JsonObject message = new JsonObject().put("role", "assistant").put("content", c.content());
            if (c.reasoning() != null) {
                message.put("reasoning_content", c.reasoning());
            }
            if (c.toolCall() != null) {
                message.put("tool_calls", new JsonArray().add(toolCall(c.toolCall(), c.toolCall().arguments())));
            }
            message.put("refusal", null);
            choices.add(new JsonObject().put("index", i).put("message", message).putNull("logprobs")
                    .put("finish_reason", c.finishReason()));
        }
        return new JsonObject()
                .put("id", answer.id())
                .put("object", "chat.completion")
                .put("created", created)
                .put("model", model)
                .put("system_fingerprint", FINGERPRINT)
                .put("choices", choices)
                .put("usage", usage(answer));
    }

    private UpstreamResponse streamed(UpstreamRequest request, SimulatedAnswer answer, String model, long created,
                                      boolean includeUsage, SimulationConfig sim) {
        ChunkWriter writer = new ChunkWriter(answer.id(), model, created, includeUsage, sim);
        for (int i = 0; i < answer.choices().size(); i++) {
            SimulatedAnswer.Choice c = answer.choices().get(i);
            // A tool call's first delta has no content, as OpenAI's has none.
            writer.add(i, new JsonObject().put("role", "assistant").put("content", c.toolCall() == null ? "" : null)
                    .putNull("refusal"), null, 0);
            if (c.reasoning() != null) {
                for (String piece : pieces(c.reasoning())) {
                    writer.add(i, new JsonObject().putNull("content").put("reasoning_content", piece), null,
                            tokens.count(piece));
                }
            }
            if (c.toolCall() != null) {
                SimulatedAnswer.ToolCall call = c.toolCall();
                writer.add(i, new JsonObject().put("tool_calls", new JsonArray().add(toolCall(call, ""))), null,
                        tokens.count(call.name()));
                for (String piece : pieces(call.arguments())) {
                    JsonObject delta = new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject()
                            .put("index", 0).put("function", new JsonObject().put("arguments", piece))));
                    writer.add(i, delta, null, tokens.count(piece));
                }
            } else {
                for (String piece : pieces(c.content())) {
                    writer.add(i, new JsonObject().put("content", piece), null, tokens.count(piece));
                }
            }
            writer.add(i, new JsonObject(), c.finishReason(), 0);
        }
        if (includeUsage) {
            writer.raw(new JsonObject().put("id", answer.id()).put("object", "chat.completion.chunk")
                    .put("created", created).put("model", model).put("system_fingerprint", FINGERPRINT)
                    .put("choices", new JsonArray()).put("usage", usage(answer)), 0);
        }
        writer.done();
        TimedStream stream = new TimedStream(context(), writer.items, writer.delays());
        request.cancellation().onCancel(stream::stop);
        return SimulatedResponse.eventStream(stream);
    }

    private Context context() {
        Context current = Vertx.currentContext();
        return current != null ? current : vertx.getOrCreateContext();
    }

    private static JsonObject toolCall(SimulatedAnswer.ToolCall call, String arguments) {
        return new JsonObject().put("index", 0).put("id", call.id()).put("type", "function")
                .put("function", new JsonObject().put("name", call.name()).put("arguments", arguments));
    }

    private static JsonObject usage(SimulatedAnswer answer) {
        return new JsonObject()
                .put("prompt_tokens", answer.promptTokens())
                .put("completion_tokens", answer.completionTokens())
                .put("total_tokens", answer.promptTokens() + answer.completionTokens())
                .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 0))
                .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", answer.reasoningTokens()));
    }

    /** Splits text into stream deltas of about two words, keeping every character. */
    static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int spaces = 0;
        for (int i = 1; i < text.length(); i++) {
            if (text.charAt(i) == ' ' && ++spaces == 2) {
                out.add(text.substring(start, i));
                start = i;
                spaces = 0;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }

    /** Collects the SSE frames of one streamed answer and the delay before each. */
    private static final class ChunkWriter {
        private final String id;
        private final String model;
        private final long created;
        private final boolean includeUsage;
        private final SimulationConfig sim;
        private final List<Buffer> items = new ArrayList<>();
        private final List<Long> delays = new ArrayList<>();

        ChunkWriter(String id, String model, long created, boolean includeUsage, SimulationConfig sim) {
            this.id = id;
            this.model = model;
            this.created = created;
            this.includeUsage = includeUsage;
            this.sim = sim;
        }

        void add(int index, JsonObject delta, String finishReason, int tokenCount) {
            JsonObject chunk = new JsonObject().put("id", id).put("object", "chat.completion.chunk")
                    .put("created", created).put("model", model).put("system_fingerprint", FINGERPRINT)
                    .put("choices", new JsonArray().add(new JsonObject().put("index", index).put("delta", delta)
                            .putNull("logprobs").put("finish_reason", finishReason)));
            if (includeUsage) {
                chunk.putNull("usage");
            }
            long delay = items.isEmpty() ? sim.firstTokenMs() : sim.tokenMs() * tokenCount;
            raw(chunk, delay);
        }

        void raw(JsonObject chunk, long delay) {
            items.add(Buffer.buffer("data: ").appendBuffer(chunk.toBuffer()).appendString("\n\n"));
            delays.add(delay);
        }

        void done() {
            items.add(Buffer.buffer("data: [DONE]\n\n"));
            delays.add(0L);
        }

        long[] delays() {
            return delays.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /** A response made here rather than received over HTTP. */
    static final class SimulatedResponse implements UpstreamResponse {
        private final int status;
        private final MultiMap headers;
        private final Buffer body;
        private final ReadStream<Buffer> stream;

        private SimulatedResponse(int status, String contentType, Buffer body, ReadStream<Buffer> stream) {
            this.status = status;
            this.headers = MultiMap.caseInsensitiveMultiMap().add("content-type", contentType);
            this.body = body;
            this.stream = stream;
        }

        static SimulatedResponse json(int status, Buffer body) {
            return new SimulatedResponse(status, "application/json", body, null);
        }

        static SimulatedResponse eventStream(ReadStream<Buffer> stream) {
            return new SimulatedResponse(200, "text/event-stream", null, stream);
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public MultiMap headers() {
            return headers;
        }

        @Override
        public Future<Buffer> body() {
            if (body != null) {
                return Future.succeededFuture(body);
            }
            Buffer all = Buffer.buffer();
            Promise<Buffer> promise = Promise.promise();
            stream.handler(all::appendBuffer).endHandler(v -> promise.tryComplete(all));
            return promise.future();
        }

        @Override
        public ReadStream<Buffer> stream() {
            if (stream != null) {
                return stream;
            }
            Context context = Vertx.currentContext();
            return new TimedStream(context, List.of(body), new long[] {0});
        }
    }
}
