package dev.gearbox.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterruptsTest {

    private final Exchange exchange = Exchange.begin("req", "POST", "/v1/chat/completions", null, 0,
            ExchangeListener.NONE);

    @Test
    void theFirstInterruptionSaysWhyAndStopsWhatWasRegisteredOnce() {
        List<String> stopped = new ArrayList<>();
        exchange.interrupts().onInterrupt(() -> stopped.add("call"));
        assertThat(exchange.interrupts().interrupted()).isFalse();
        assertThat(exchange.outcome()).isNull();

        exchange.interrupts().shutDown();
        exchange.interrupts().clientGone();

        assertThat(exchange.interrupts().why()).isEqualTo(Interruption.SHUTDOWN);
        assertThat(exchange.outcome()).isEqualTo("shutdown");
        assertThat(stopped).containsExactly("call");
    }

    @Test
    void anActionRegisteredAfterTheInterruptionRunsAtOnce() {
        exchange.interrupts().clientGone();
        List<String> stopped = new ArrayList<>();

        exchange.interrupts().onInterrupt(() -> stopped.add("late"));

        assertThat(stopped).containsExactly("late");
        assertThat(exchange.outcome()).isEqualTo("cancelled");
    }

    @Test
    void anOutcomeRecordedBeforeOrAfterTheInterruptionIsTheOneShown() {
        exchange.outcome("stream_cut");
        exchange.interrupts().clientGone();
        assertThat(exchange.outcome()).isEqualTo("stream_cut");

        Exchange other = Exchange.begin("req2", "POST", "/v1/chat/completions", null, 0, ExchangeListener.NONE);
        other.interrupts().clientGone();
        other.outcome("error");
        assertThat(other.outcome()).isEqualTo("error");
    }
}
