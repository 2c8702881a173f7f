package dev.gearbox.inbound.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.testing.Fixtures;
import dev.gearbox.wire.ApiException;
import dev.gearbox.wire.Request;
import dev.gearbox.wire.WireFormat;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessagesToChatRequestTest {

    @Test
    void translatesAMessagesRequestIntoTheCanonicalChatRequestAndKeepsTheOriginal() {
        String body = Fixtures.text("anthropic-inbound/messages-request.json");

        Request request = MessagesApi.create().parse(Buffer.buffer(body));

        assertThat(request.body()).isEqualTo(Fixtures.json("anthropic-inbound/chat-request.json"));
        assertThat(request.stream()).isTrue();
        assertThat(request.clientWantsUsage()).isTrue();
        assertThat(request.nativeRequest()).hasValueSatisfying(n -> {
            assertThat(n.format()).isEqualTo(WireFormat.ANTHROPIC_MESSAGES);
            assertThat(n.body()).isEqualTo(Fixtures.json("anthropic-inbound/messages-request.json"));
            assertThat(n.sizeBytes()).isEqualTo(Buffer.buffer(body).length());
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":5}                         | model",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}                            | max_tokens",
            "{\"model\":\"m\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}          | max_tokens",
            "{\"model\":\"m\",\"max_tokens\":5}                                                                | messages",
            "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[]}                                                | messages",
            "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"hi\"}]}        | messages.0.role",
            "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":5}]}              | messages.0.content",
            "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]} | messages.0.content.0",
            "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":1.5} | temperature",
            "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tool_choice\":{\"type\":\"maybe\"}} | tool_choice.type",
            "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"name\":\"f\"}]} | tools.0.input_schema",
            "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":\"yes\"} | stream",
    })
    void refusesAMalformedRequestNamingTheMessagesField(String body, String param) {
        assertThatThrownBy(() -> MessagesApi.create().parse(Buffer.buffer(body)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo(param);
                    assertThat(e.getMessage()).startsWith(param);
                });
    }

    @Test
    void writesErrorsInAnthropicsShape() {
        assertThat(MessagesApi.body(ApiException.modelNotFound("nope")).encode()).isEqualTo(
                "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":"
                        + "\"The model 'nope' does not exist or you do not have access to it.\"}}");
        assertThat(MessagesApi.errorType(529)).isEqualTo("overloaded_error");
        assertThat(MessagesApi.errorType(429)).isEqualTo("rate_limit_error");
        assertThat(MessagesApi.errorType(502)).isEqualTo("api_error");
    }
}
