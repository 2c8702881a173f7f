package dev.gearbox.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.providers.ProviderError;
import dev.gearbox.providers.ProviderException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FailureClassifierTest {

    private static final String KEY = "prov-key-0123456789";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

    private final FailureClassifier classifier = FailureClassifier.of(new UpstreamErrors(List.of(KEY)), CLOCK);

    @Test
    void aRateLimitIsThrottledWithRetryAfterInMilliseconds() {
        Failure failure = classifier.status("openai", 429, "7", new ProviderError("slow down", null, null, null));

        assertThat(failure.kind()).isEqualTo(Failure.Kind.THROTTLED);
        assertThat(failure.code()).isEqualTo("429");
        assertThat(failure.retryAfterMs()).isEqualTo(7_000);
        assertThat(failure.retryable()).isTrue();
        // Being busy is not being broken.
        assertThat(failure.countsAgainstModel()).isFalse();
        assertThat(failure.error().status()).isEqualTo(429);
        assertThat(failure.error().retryAfter()).isEqualTo("7");
    }

    @Test
    void noPooledConnectionInTimeIsTheGatewaysOverloadNotTheModelsTimeout() {
        Failure failure = classifier.noResponse(new ProviderException(ProviderException.Kind.BUSY, "openai",
                "no connection to provider openai was free within 1000 ms", null));

        assertThat(failure.kind()).isEqualTo(Failure.Kind.OVERLOADED);
        assertThat(failure.code()).isEqualTo("busy");
        assertThat(failure.countsAgainstModel()).isFalse();
        // Retrying at once would only queue again; another candidate may have room.
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.terminal()).isFalse();
        assertThat(failure.error().status()).isEqualTo(503);
        assertThat(failure.error().code()).isEqualTo("gateway_busy");
        assertThat(failure.error().retryAfter()).isEqualTo("1");
    }

    @Test
    void readsRetryAfterGivenAsAnHttpDateAgainstTheClock() {
        Failure failure = classifier.status("openai", 429, "Mon, 23 Nov 2026 10:00:30 GMT", ProviderError.NONE);

        assertThat(failure.retryAfterMs()).isEqualTo(30_000);
    }

    @Test
    void withoutRetryAfterThereIsNoWaitToHonour() {
        assertThat(classifier.status("openai", 429, null, ProviderError.NONE).retryAfterMs()).isEqualTo(-1);
        assertThat(classifier.status("openai", 503, "soon", ProviderError.NONE).retryAfterMs()).isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503})
    void aServerErrorIsTheModelsFaultAndABadGatewayToTheClient(int status) {
        Failure failure = classifier.status("openai", status, null, new ProviderError("overloaded", null, null, null));

        assertThat(failure.kind()).isEqualTo(Failure.Kind.MODEL);
        assertThat(failure.code()).isEqualTo(String.valueOf(status));
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.countsAgainstModel()).isTrue();
        assertThat(failure.error().status()).isEqualTo(502);
        assertThat(failure.error().code()).isEqualTo("upstream_error");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 422})
    void aBadRequestIsTheRequestsFaultAndKeepsItsStatus(int status) {
        Failure failure = classifier.status("openai", status, null,
                new ProviderError("bad tools", "invalid_request_error", null, "tools"));

        assertThat(failure.kind()).isEqualTo(Failure.Kind.REQUEST);
        assertThat(failure.terminal()).isTrue();
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.error().status()).isEqualTo(status);
        assertThat(failure.error().getMessage()).isEqualTo("bad tools");
        assertThat(failure.error().param()).isEqualTo("tools");
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403, 404})
    void aRefusalMayGoToAnotherModelButNotBackToThisOne(int status) {
        Failure failure = classifier.status("openai", status, null, ProviderError.NONE);

        assertThat(failure.kind()).isEqualTo(Failure.Kind.REFUSED);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.terminal()).isFalse();
        assertThat(failure.error().status()).isEqualTo(status);
    }

    @Test
    void anUnreadableErrorBodyIsClassifiedByItsStatus() {
        IOException broken = new IOException("connection reset");

        assertThat(classifier.unreadableStatus(429, "2", broken).kind()).isEqualTo(Failure.Kind.THROTTLED);
        assertThat(classifier.unreadableStatus(429, "2", broken).retryAfterMs()).isEqualTo(2_000);
        assertThat(classifier.unreadableStatus(400, null, broken).kind()).isEqualTo(Failure.Kind.REQUEST);
        assertThat(classifier.unreadableStatus(503, null, broken).kind()).isEqualTo(Failure.Kind.MODEL);
        assertThat(classifier.unreadableStatus(401, null, broken).kind()).isEqualTo(Failure.Kind.REFUSED);
    }

    @Test
    void noFirstByteInTimeIsAGatewayTimeout() {
        Failure failure = classifier.firstByteTimeout("openai", 1_500);

        assertThat(failure.code()).isEqualTo("timeout");
        assertThat(failure.kind()).isEqualTo(Failure.Kind.MODEL);
        assertThat(failure.error().status()).isEqualTo(504);
        assertThat(failure.error().code()).isEqualTo("upstream_timeout");
        assertThat(failure.error().getMessage()).contains("openai", "1500 ms");
    }

    @Test
    void aProviderTimeoutIsCodedTimeoutAndAGatewayTimeout() {
        Failure failure = classifier.noResponse(new ProviderException(ProviderException.Kind.TIMEOUT, "openai",
                "provider openai did not answer in time", null));

        assertThat(failure.code()).isEqualTo("timeout");
        assertThat(failure.kind()).isEqualTo(Failure.Kind.MODEL);
        assertThat(failure.error().status()).isEqualTo(504);
        assertThat(failure.error().code()).isEqualTo("upstream_timeout");
    }

    @Test
    void aConnectionFailureIsCodedConnectAndABadGateway() {
        Failure failure = classifier.noResponse(new ProviderException(ProviderException.Kind.CONNECTION, "openai",
                "provider openai could not be reached", null));

        assertThat(failure.code()).isEqualTo("connect");
        assertThat(failure.kind()).isEqualTo(Failure.Kind.MODEL);
        assertThat(failure.error().status()).isEqualTo(502);
        assertThat(failure.error().code()).isEqualTo("upstream_unavailable");
    }

    @Test
    void aBrokenAnswerIsTheModelsFaultWithItsOwnCode() {
        Failure protocol = classifier.protocol("openai", "malformed", "answered with a body that is not a JSON object");
        Failure stream = classifier.stream("openai", "stream_cut", "The upstream stream ended early.");

        assertThat(protocol.kind()).isEqualTo(Failure.Kind.MODEL);
        assertThat(protocol.error().code()).isEqualTo("upstream_malformed");
        assertThat(protocol.error().status()).isEqualTo(502);
        assertThat(stream.code()).isEqualTo("stream_cut");
        assertThat(stream.error().code()).isEqualTo("upstream_stream_cut");
    }

    @Test
    void providerKeysNeverReachTheClient() {
        List<Failure> failures = List.of(
                classifier.status("openai", 401, null,
                        new ProviderError("Incorrect API key provided: " + KEY, null, null, null)),
                classifier.status("openai", 500, null, new ProviderError("failed for key " + KEY, null, null, null)),
                classifier.unreadableStatus(502, null, new IOException("reading with " + KEY)),
                classifier.noResponse(new ProviderException(ProviderException.Kind.CONNECTION, "openai",
                        "provider openai connection failed: Bearer " + KEY, null)),
                classifier.noResponse(new IllegalStateException("boom " + KEY)));

        for (Failure failure : failures) {
            assertThat(failure.error().getMessage()).doesNotContain(KEY).contains("***");
        }
    }
}
