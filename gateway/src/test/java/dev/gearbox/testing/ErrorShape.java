package dev.gearbox.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Optional;

/** Assertions on OpenAI-shaped error responses. */
public final class ErrorShape {

    private ErrorShape() {
    }

    /** Asserts the status and that the body is {@code {"error":{"message","type","param","code"}}}; returns the error. */
    public static JsonObject assertError(HttpResponse<String> response, int status, String type) {
        return assertError(response.statusCode(), response.headers().firstValue("content-type"), response.body(), status, type);
    }

    /** The same, for a response read off a raw socket. */
    public static JsonObject assertError(RawClient.RawResponse response, int status, String type) {
        return assertError(response.status(), response.header("content-type"), response.bodyText(), status, type);
    }

    private static JsonObject assertError(int actual, Optional<String> contentType, String body, int status, String type) {
        assertThat(actual).as("status of %s", body).isEqualTo(status);
        assertThat(contentType).as("content type of a %d with body '%s'", actual, body)
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(body).as("the body of a %d (OpenAI's error shape expected)", actual).isNotBlank();
        JsonObject error = new JsonObject(body).getJsonObject("error");
        assertThat(error).as("error object in %s", body).isNotNull();
        assertThat(error.fieldNames()).containsExactlyInAnyOrder("message", "type", "param", "code");
        assertThat(error.getString("message")).isNotBlank();
        assertThat(error.getString("type")).isEqualTo(type);
        return error;
    }
}
