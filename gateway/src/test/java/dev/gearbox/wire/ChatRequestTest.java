package dev.gearbox.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.wire.UpstreamBody;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ChatRequestTest {

    @Test
    void keepsEveryFieldItDoesNotOwn() {
        String body = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"seed\":7,"
                + "\"logprobs\":true,\"x_vendor\":{\"a\":[1,2]},\"metadata\":{\"k\":\"v\"}}";

        JsonObject upstream = new JsonObject(ChatRequest.parse(Buffer.buffer(body)).toUpstream("gpt-4o-mini").bytes());

        JsonObject expected = new JsonObject(body).put("model", "gpt-4o-mini");
        assertThat(upstream).isEqualTo(expected);
    }

    @Test
    void asksForUsageOnStreamsAndRemembersWhetherTheClientDid() {
        ChatRequest plain = ChatRequest.parse(Buffer.buffer(
                "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        ChatRequest asked = ChatRequest.parse(Buffer.buffer(
                "{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));

        assertThat(plain.clientWantsUsage()).isFalse();
        assertThat(new JsonObject(plain.toUpstream("m").bytes()).getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
        assertThat(asked.clientWantsUsage()).isTrue();
        assertThat(plain.model()).isNull();
    }

    @Test
    void sendsTheClientsOwnBytesWithOnlyTheModelReplaced() {
        String body = "{ \"messages\" : [ {\"role\":\"user\",\"content\":\"say \\\"model\\\": \\\\ } \\u00e9\"} ],\n"
                + "  \"temperature\" : 1.50, \"model\" : \"auto\" , \"x\":[1,{\"model\":\"inner\"}], \"top_k\": 1e0 }";

        String upstream = ChatRequest.parse(Buffer.buffer(body)).toUpstream("gpt-4o-mini").bytes().toString();

        assertThat(upstream).isEqualTo(body.replace("\"model\" : \"auto\"", "\"model\" : \"gpt-4o-mini\""));
    }

    @Test
    void addsTheModelAndTheUsageRequestWhenTheClientSentNeither() {
        String body = "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        String upstream = ChatRequest.parse(Buffer.buffer(body)).toUpstream("m\"1").bytes().toString();

        assertThat(upstream).isEqualTo("{\"stream_options\":{\"include_usage\":true},\"model\":\"m\\\"1\","
                + body.substring(1));
    }

    @Test
    void splicesTheModelUnderAnEscapedKeyAsUnderAPlainOne() {
        String body = "{\"mod\\u0065l\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        String upstream = ChatRequest.parse(Buffer.buffer(body)).toUpstream("gpt-4o-mini").bytes().toString();

        assertThat(upstream).isEqualTo(body.replace("\"auto\"", "\"gpt-4o-mini\""));
    }

    @Test
    void buildsTheBodyFromJsonWhenBytesCannotBeSplicedSafely() {
        String twice = "{\"model\":\"a\",\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String usageOff = "{\"stream\":true,\"stream_options\":{\"include_usage\":false},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        for (String body : new String[] {twice, usageOff}) {
            String upstream = ChatRequest.parse(Buffer.buffer(body)).toUpstream("gpt-4o-mini").bytes().toString();
            assertThat(upstream).doesNotContain("auto").containsOnlyOnce("\"model\"");
            assertThat(new JsonObject(upstream).getString("model")).isEqualTo("gpt-4o-mini");
        }
        assertThat(new JsonObject(ChatRequest.parse(Buffer.buffer(usageOff)).toUpstream("m").bytes())
                .getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
    }

    @Test
    void sendsWhatAQuirkChangedRatherThanTheSplicedBytes() {
        UpstreamBody upstream = ChatRequest.parse(Buffer.buffer(
                "{\"model\":\"auto\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).toUpstream("o3");

        upstream.json().put("max_completion_tokens", upstream.json().remove("max_tokens"));

        JsonObject sent = new JsonObject(upstream.bytes());
        assertThat(sent.getInteger("max_completion_tokens")).isEqualTo(5);
        assertThat(sent.containsKey("max_tokens")).isFalse();
        assertThat(sent.getString("model")).isEqualTo("o3");
    }

    @Test
    void refusesMalformedJson() {
        assertThatThrownBy(() -> ChatRequest.parse(Buffer.buffer("{\"messages\": [")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("invalid_request_error");
                    assertThat(e.getMessage()).contains("not valid JSON");
                });
        assertThatThrownBy(() -> ChatRequest.parse(Buffer.buffer("[1,2]"))).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> ChatRequest.parse(Buffer.buffer(""))).hasMessageContaining("empty");
    }

    @Test
    void namesTheParameterThatIsWrong() {
        assertParam("{\"model\":\"a\"}", "messages", "Missing required parameter");
        assertParam("{\"messages\":\"hi\"}", "messages", "must be an array");
        assertParam("{\"messages\":[]}", "messages", "at least one");
        assertParam("{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}", "messages[0].role", "'robot'");
        assertParam("{\"messages\":[{\"role\":\"user\",\"content\":5}]}", "messages[0].content", "string");
        assertParam("{\"model\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "model", "string");
        assertParam("{\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "stream", "boolean");
        assertParam("{\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "max_tokens", "integer");
        assertParam("{\"temperature\":3,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "temperature", "0.0 to 2.0");
        assertParam("{\"n\":1.5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "n", "integer");
        assertParam("{\"tools\":{},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "tools", "array");
    }

    private static void assertParam(String body, String param, String message) {
        assertThatThrownBy(() -> ChatRequest.parse(Buffer.buffer(body)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo(param);
                    assertThat(e.getMessage()).contains(message);
                });
    }
}
