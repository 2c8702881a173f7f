package dev.gearbox.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExchangeAttributeTest {

    private static final Attribute<String> NAME = Attribute.of("name");
    private static final Attribute<Integer> COUNT = Attribute.of("count");

    @Test
    void anExchangeKeepsEachListenersValueUnderItsOwnKey() {
        Exchange exchange = Exchange.begin("req", "POST", "/v1/chat/completions", null, 0, ExchangeListener.NONE);
        assertThat(exchange.attribute(NAME)).isNull();

        exchange.attribute(COUNT, 3);
        exchange.attribute(NAME, "a");

        assertThat(exchange.attribute(NAME)).isEqualTo("a");
        assertThat(exchange.attribute(COUNT)).isEqualTo(3);
        exchange.attribute(NAME, null);
        assertThat(exchange.attribute(NAME)).isNull();
        assertThat(exchange.attribute(COUNT)).isEqualTo(3);
    }

    @Test
    void upstreamHeadersAreMadeOnlyWhenAListenerAsks() {
        Exchange exchange = Exchange.begin("req", "POST", "/v1/chat/completions", null, 0, ExchangeListener.NONE);
        assertThat(exchange.upstreamHeadersIfAny()).isNull();

        exchange.upstreamHeaders().set("traceparent", "x");

        assertThat(exchange.upstreamHeadersIfAny().get("traceparent")).isEqualTo("x");
    }
}
