package dev.gearbox.providers;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.cost.Usage;
import dev.gearbox.wire.Bytes;
import dev.gearbox.wire.JsonScan;
import dev.gearbox.wire.Operation;
import dev.gearbox.wire.Request;
import dev.gearbox.wire.SseEvent;
import dev.gearbox.wire.SseParser;
import dev.gearbox.wire.UpstreamBody;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;

/**
 * The translator for providers that already speak the canonical form, OpenAI's chat completions and
 * embeddings: OpenAI-compatible APIs and the simulator. Bodies go out as the client wrote them (spliced,
 * not re-encoded) apart from the upstream model's {@link RequestAdjustment}s; answers come back as their
 * bytes, of which only the usage block is read.
 */
public final class CanonicalTranslator implements Translator {

    private static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

    /** A change one upstream model needs in a chat request body. */
    @FunctionalInterface
    public interface RequestAdjustment {
        void apply(JsonObject body);
    }

    private final Operation operation;
    private final UpstreamTarget target;
    private final List<RequestAdjustment> adjustments;
    private SseParser parser;
    private Consumer<SseEvent> events;

    private CanonicalTranslator(Operation operation, UpstreamTarget target, List<RequestAdjustment> adjustments) {
        this.operation = operation;
        this.target = target;
        this.adjustments = adjustments;
    }

    /** A translator for {@code operation}, sent to {@code target}, that sends bodies as they are. */
    public static CanonicalTranslator of(Operation operation, UpstreamTarget target) {
        return new CanonicalTranslator(operation, target, List.of());
    }

    /** A translator for chat completions, sent to {@code target}, that makes these changes to request bodies. */
    public static CanonicalTranslator of(UpstreamTarget target, List<RequestAdjustment> adjustments) {
        return new CanonicalTranslator(Operation.CHAT_COMPLETIONS, target, List.copyOf(adjustments));
    }

    @Override
    public UpstreamTarget target(Request request, ModelConfig model) {
        return target;
    }

    @Override
    public UpstreamBody request(Request request, ModelConfig model) {
        UpstreamBody body = request.toUpstream(model.upstream());
        for (RequestAdjustment adjustment : adjustments) {
            adjustment.apply(body.json());
        }
        return body;
    }

    @Override
    public TranslatedAnswer answer(Buffer body, String contentType) {
        if (contentType == null || !contentType.contains("json")) {
            throw new NotAnAnswer("wrong_content_type", "answered with content type " + contentType);
        }
        // The body goes to the client as it came: it is checked, not built, and its usage read on the way.
        Bytes bytes = Bytes.of(body);
        JsonScan.TopLevel top = JsonScan.object(bytes.array(), bytes.offset(), bytes.length());
        if (top == null) {
            throw new NotAnAnswer("malformed", "answered with a body that is not a JSON object in UTF-8");
        }
        String expected = switch (operation) {
            case EMBEDDINGS -> "data";
            case MODERATIONS -> "results";
            default -> "choices";
        };
        if (!top.hasArray(expected)) {
            throw top.has("error")
                    ? new NotAnAnswer("error_in_200", "answered 200 with an error instead of an answer: "
                            + CanonicalTranslator.openAiError(body).message())
                    : new NotAnAnswer("malformed", "answered 200 without '" + expected + "'");
        }
        if (operation == Operation.MODERATIONS) {
            // Moderation reports no tokens and costs none; there is nothing to estimate.
            return new TranslatedAnswer(body, contentType, Usage.NONE);
        }
        // Read on the same pass that checked the body.
        Usage usage = Usage.fromCounts(top.usage("prompt_tokens"), top.usage("completion_tokens"),
                top.usage("prompt_tokens_details.cached_tokens"), top.usage("prompt_cache_hit_tokens"),
                top.usage("completion_tokens_details.reasoning_tokens"));
        return new TranslatedAnswer(body, contentType, usage);
    }

    @Override
    public void feed(Buffer chunk, Consumer<SseEvent> events) {
        if (parser == null) {
            this.events = events;
            parser = new SseParser(MAX_EVENT_BYTES, event -> this.events.accept(event));
        }
        parser.feed(chunk);
    }

    @Override
    public ProviderError error(int status, Buffer body) {
        return openAiError(body);
    }

    /** Reads OpenAI's error shape, and the looser ones compatible servers send. */
    public static ProviderError openAiError(Buffer body) {
        try {
            JsonObject json = new JsonObject(body);
            Object error = json.getValue("error");
            if (error instanceof JsonObject e) {
                return new ProviderError(e.getValue("message") instanceof String m ? m : null,
                        e.getValue("type") instanceof String t ? t : null,
                        e.getValue("code") == null ? null : String.valueOf(e.getValue("code")),
                        e.getValue("param") instanceof String p ? p : null);
            }
            if (error instanceof String s) {
                return new ProviderError(s, null, null, null);
            }
            if (json.getValue("message") instanceof String m) {
                return new ProviderError(m, null, null, null);
            }
            return ProviderError.NONE;
        } catch (RuntimeException notJson) {
            return new ProviderError(body.length() == 0 ? null : body.toString(), null, null, null);
        }
    }
}
