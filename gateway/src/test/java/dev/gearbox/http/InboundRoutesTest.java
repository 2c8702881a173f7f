package dev.gearbox.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InboundRoutesTest {

    @Test
    void theCanonicalPathDropsEmptyAndDotSegmentsAndTheTrailingSlash() {
        assertThat(InboundRoutes.canonical("/v1/chat/completions")).isEqualTo("/v1/chat/completions");
        assertThat(InboundRoutes.canonical("//v1//chat/completions/")).isEqualTo("/v1/chat/completions");
        assertThat(InboundRoutes.canonical("/v1/./chat/x/../completions")).isEqualTo("/v1/chat/completions");
        assertThat(InboundRoutes.canonical("/../../v1/messages")).isEqualTo("/v1/messages");
        assertThat(InboundRoutes.canonical("/")).isEqualTo("/");
        assertThat(InboundRoutes.canonical("")).isEqualTo("/");
    }
}
