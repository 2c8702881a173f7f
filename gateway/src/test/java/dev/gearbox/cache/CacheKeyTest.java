package dev.gearbox.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class CacheKeyTest {

    private static final String BODY = """
            {"model":"auto","temperature":0,"seed":7,"messages":[{"role":"user","content":"hi"}],
             "response_format":{"type":"json_object","json_schema":null},"max_tokens":50}""";

    @Test
    void ignoresKeyOrderAndNumberSpelling() {
        CacheKey a = key("t", "m", BODY);
        CacheKey b = key("t", "m", """
                {"max_tokens":50.0,"messages":[{"content":"hi","role":"user"}],"seed":7,
                 "response_format":{"json_schema":null,"type":"json_object"},"temperature":0.0,"model":"cheap"}""");

        assertThat(a).isEqualTo(b);
    }

    @Test
    void leavesOutWhatDoesNotChangeTheAnswer() {
        JsonObject body = new JsonObject(BODY).put("stream", true).put("stream_options", new JsonObject().put("include_usage", true))
                .put("user", "u-1").put("metadata", new JsonObject().put("k", "v"));

        assertThat(CacheKey.of("t", "m", body)).isEqualTo(key("t", "m", BODY));
    }

    @Test
    void everythingThatChangesTheAnswerChangesTheKey() {
        CacheKey base = key("t", "m", BODY);

        assertThat(key("t", "m", BODY.replace("\"hi\"", "\"hello\""))).isNotEqualTo(base);
        assertThat(key("t", "m", BODY.replace("\"seed\":7", "\"seed\":8"))).isNotEqualTo(base);
        assertThat(key("t", "m", BODY.replace("\"temperature\":0", "\"temperature\":0.5"))).isNotEqualTo(base);
        assertThat(key("t", "m", BODY.replace("\"max_tokens\":50", "\"max_tokens\":51"))).isNotEqualTo(base);
        assertThat(key("t", "m", new JsonObject(BODY).put("stop", "\n").encode())).isNotEqualTo(base);
        assertThat(key("t", "m", new JsonObject(BODY).put("tools", new io.vertx.core.json.JsonArray()).encode())).isNotEqualTo(base);
    }

    @Test
    void tenantsAndModelsNeverShareAKey() {
        assertThat(key("team-a", "m", BODY)).isNotEqualTo(key("team-b", "m", BODY));
        assertThat(key("t", "sim-cheap", BODY)).isNotEqualTo(key("t", "sim-reasoning", BODY));
    }

    @Test
    void stringsCannotRunIntoEachOther() {
        assertThat(key("ab", "c", BODY)).isNotEqualTo(key("a", "bc", BODY));
    }

    private static CacheKey key(String tenant, String model, String body) {
        return CacheKey.of(tenant, model, new JsonObject(body));
    }
}
