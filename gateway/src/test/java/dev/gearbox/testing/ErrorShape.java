package dev.gearbox.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;

/** Assertions on OpenAI-shaped error responses. */
public final class ErrorShape {

    private ErrorShape() {
    }

    /** Asserts the status and that the body is {@code {"error":{"message","type","param","code"}}}; returns the error. */
    public static JsonObject assertError(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonObject error = new JsonObject(response.body()).getJsonObject("error");
        assertThat(error).as("error object in %s", response.body()).isNotNull();
        assertThat(error.fieldNames()).containsExactlyInAnyOrder("message", "type", "param", "code");
        assertThat(error.getString("message")).isNotBlank();
        assertThat(error.getString("type")).isEqualTo(type);
        return error;
    }
}
