package dev.gearbox.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.providers.ProviderException;
import dev.gearbox.wire.ApiException;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamErrorsTest {

    private final UpstreamErrors errors = new UpstreamErrors(List.of("secret-key-value"));

    @Test
    void relaysAClientErrorWithItsStatusAndFields() {
        ApiException e = errors.of("openai", 400, null, Buffer.buffer(
                "{\"error\":{\"message\":\"bad tool\",\"type\":\"invalid_request_error\",\"param\":\"tools\",\"code\":\"x\"}}"));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("bad tool");
        assertThat(e.param()).isEqualTo("tools");
        assertThat(e.code()).isEqualTo("x");
    }

    @Test
    void keepsRetryAfterOnRateLimits() {
        ApiException e = errors.of("openai", 429, "7", Buffer.buffer("{\"error\":{\"message\":\"slow down\"}}"));

        assertThat(e.status()).isEqualTo(429);
        assertThat(e.type()).isEqualTo("rate_limit_error");
        assertThat(e.retryAfter()).isEqualTo("7");
    }

    @Test
    void turnsServerErrorsInto502AndTimeoutsInto504() {
        assertThat(errors.of("openai", 503, null, Buffer.buffer("overloaded")).status()).isEqualTo(502);
        assertThat(errors.of(new ProviderException(ProviderException.Kind.TIMEOUT, "p", "provider p did not answer in time", null)).status())
                .isEqualTo(504);
        assertThat(errors.of(new ProviderException(ProviderException.Kind.CONNECTION, "p", "refused", null)).status())
                .isEqualTo(502);
    }

    @Test
    void scrubsKeysFromMessages() {
        ApiException e = errors.of("openai", 401, null, Buffer.buffer(
                "{\"error\":{\"message\":\"Incorrect API key provided: secret-key-value and sk-proj-abcdefghijkl\"}}"));

        assertThat(e.getMessage()).doesNotContain("secret-key-value").doesNotContain("abcdefghijkl").contains("***");
        assertThat(e.type()).isEqualTo("authentication_error");
    }
}
