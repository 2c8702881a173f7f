package dev.gearbox.testing;

import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * A WireMock transformer that answers a chat completion as an OpenAI-compatible model that spends all a
 * request lets it: every byte of the messages (and tools) it is sent counts as a prompt token, the most the
 * gateway's bound allows; a request with tools costs {@link #TOOL_PROMPT_TOKENS} more, as Anthropic's tool-use
 * system prompt does; and it writes up to its {@code max_tokens} per choice, or {@link #UNLIMITED_OUTPUT}
 * tokens when it sets none. Stub with {@code aResponse().withTransformers(SpendingModel.NAME)}.
 */
public final class SpendingModel implements ResponseTransformerV2 {

    public static final String NAME = "spending-model";
    /** What it writes when a request sets no limit: more than the gateway's default reservation. */
    public static final int UNLIMITED_OUTPUT = 9_000;
    /** The hidden prompt a request with tools gets, as Anthropic's tool-use system prompt (346 tokens). */
    public static final int TOOL_PROMPT_TOKENS = 346;

    @Override
    public Response transform(Response response, ServeEvent event) {
        JsonObject body = new JsonObject(event.getRequest().getBodyAsString());
        long prompt = bytes(body.getValue("messages"));
        if (body.getValue("tools") instanceof JsonArray tools && !tools.isEmpty()) {
            prompt += bytes(tools) + TOOL_PROMPT_TOKENS;
        }
        Object limit = body.getValue("max_completion_tokens", body.getValue("max_tokens"));
        int n = body.getValue("n") instanceof Number count ? count.intValue() : 1;
        long completion = (long) n * (limit instanceof Number l ? l.longValue() : UNLIMITED_OUTPUT);
        JsonObject answer = new JsonObject().put("id", "chatcmpl-spent").put("object", "chat.completion").put("created", 0)
                .put("model", body.getString("model"))
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("message", new JsonObject().put("role", "assistant").put("content", "All I could write."))
                        .put("finish_reason", "length")))
                .put("usage", new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", completion)
                        .put("total_tokens", prompt + completion));
        return Response.Builder.like(response).status(200)
                .headers(new HttpHeaders(new HttpHeader("content-type", "application/json")))
                .body(answer.encode()).build();
    }

    private static long bytes(Object json) {
        return json == null ? 0 : (json instanceof JsonArray a ? a.encode() : String.valueOf(json))
                .getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
