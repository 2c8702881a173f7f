package dev.gearbox.conversation;

import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.AnswerStream;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.Stage;
import dev.gearbox.exchange.StreamEnd;
import dev.gearbox.exchange.StreamObserver;
import dev.gearbox.exchange.WholeAnswer;
import dev.gearbox.responses.ResponseEventStream;
import dev.gearbox.responses.ResponseObject;
import dev.gearbox.responses.ResponseTurn;
import dev.gearbox.responses.ResponsesToChat;
import dev.gearbox.state.StoreUnavailableException;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.NativeRequest;
import dev.gearbox.wire.SseEvent;
import dev.gearbox.wire.WireFormat;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Responses API's conversation state, after admission (a response belongs to the caller's tenant): a
 * request that continues one ({@code previous_response_id}) gets the earlier turns put before its input, in
 * the canonical request and in the native one alike, so any model can answer it; and each whole answer is
 * kept with its conversation, unless the client said {@code store: false}. Other requests pass by.
 */
public final class ConversationStage implements Stage {

    private static final Logger LOG = LoggerFactory.getLogger(ConversationStage.class);

    private final ResponseStore store;
    private final boolean failOpen;

    private ConversationStage(ResponseStore store, boolean failOpen) {
        this.store = store;
        this.failOpen = failOpen;
    }

    public static ConversationStage of(ResponseStore store) {
        return new ConversationStage(store, false);
    }

    /**
     * @param failOpen while a shared store cannot be reached, serve requests that would only write to it
     *     (answered, not stored) rather than refuse them with a 503; a request that must read it (a
     *     continuation) is refused either way, since answering it without its earlier turns would be wrong
     */
    public static ConversationStage of(ResponseStore store, boolean failOpen) {
        return new ConversationStage(store, failOpen);
    }

    @Override
    public Future<Answer> apply(Exchange exchange, Next next) {
        Optional<NativeRequest> origin = exchange.request().nativeRequest();
        if (origin.isEmpty() || origin.get().format() != WireFormat.OPENAI_RESPONSES) {
            return next.apply(exchange);
        }
        JsonObject body = origin.get().body();
        String tenant = exchange.tenant();
        boolean storing = !Boolean.FALSE.equals(body.getValue("store"));
        Future<History> earlier = body.getValue("previous_response_id") instanceof String previous
                ? store.get(tenant, previous).map(found -> History.of(found.orElseThrow(() -> notFound(previous))))
                : storing && !failOpen ? store.ready().map(v -> History.NONE) : Future.succeededFuture(History.NONE);
        earlier = earlier.recover(e -> Future.failedFuture(e instanceof StoreUnavailableException ? unavailable() : e));
        return earlier.compose(stored -> {
            JsonArray history = stored.items();
            JsonArray input = ResponseTurn.inputItems(body);
            if (!history.isEmpty()) {
                JsonObject continued = body.copy();
                continued.remove("previous_response_id");
                // A native upstream knows nothing of the gateway's ids: it is sent the whole conversation, and its
                // size is what admission reserves on and what parsing it costs.
                continued.put("input", history.copy().addAll(input));
                ResponseTurn.continued(exchange, ResponsesToChat.translate(continued,
                        origin.get().sizeBytes() + stored.bytes()));
            }
            Future<Answer> answer = next.apply(exchange);
            if (!storing) {
                return answer;
            }
            return answer.compose(a -> keep(exchange, tenant, body, history.copy().addAll(input), a));
        });
    }

    /** The earlier turns of a continued conversation, and the bytes they take as stored. */
    private record History(JsonArray items, int bytes) {

        static final History NONE = new History(new JsonArray(), 0);

        static History of(StoredResponse stored) {
            return new History(stored.conversationItems(), stored.conversation().length());
        }
    }

    /** 404 in OpenAI's words, for an id unknown to the tenant, whoever else may have it. */
    static ApiException notFound(String id) {
        return new ApiException(404, "invalid_request_error", "previous_response_not_found", "previous_response_id",
                "Previous response with id '" + id + "' not found.");
    }

    /** 503 in OpenAI's shape: whether the response exists is unknown, so neither 404 nor an answer is right. */
    public static ApiException unavailable() {
        return new ApiException(503, "server_error", "response_store_unavailable", null,
                "Stored responses cannot be read or written: the gateway's response store is unreachable. "
                        + "Try again shortly, or send the request with store: false and without previous_response_id.",
                "1");
    }

    private Future<Answer> keep(Exchange exchange, String tenant, JsonObject body, JsonArray conversation, Answer answer) {
        String id = ResponseTurn.id(exchange);
        if (answer instanceof WholeAnswer whole) {
            // Waited for, so a client that continues at once, on any replica, finds what it was just given;
            // a failed write still serves the answer it cannot keep.
            return put(tenant, id, ResponseObject.of(id, body, whole.json()), conversation)
                    .otherwise((Void) null).map(answer);
        }
        AnswerStream stream = (AnswerStream) answer;
        ResponseEventStream events = ResponseEventStream.of(id, body, event -> { });
        stream.observe(new StreamObserver() {
            @Override
            public void event(SseEvent data) {
                if (data.length() > 0 && data.bytes()[data.offset()] == '{') {
                    JsonObject chunk = new JsonObject(data.toBuffer());
                    if (!chunk.containsKey("error")) {
                        events.chunk(chunk);
                    }
                }
            }

            @Override
            public void hidden(SseEvent data) {
                event(data);
            }

            @Override
            public void end(StreamEnd end) {
                // A cut stream produced no response to continue.
                if (end instanceof StreamEnd.Done) {
                    events.done();
                    put(tenant, id, events.response(), conversation);
                }
            }
        });
        return Future.succeededFuture(answer);
    }

    private Future<Void> put(String tenant, String id, JsonObject response, JsonArray conversation) {
        conversation.addAll(response.getJsonArray("output"));
        return store.put(tenant, StoredResponse.of(id, response, conversation))
                .onFailure(e -> LOG.warn("response {} was not stored: {}", id, e.toString()));
    }
}
