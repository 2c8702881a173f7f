package dev.gearbox.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {

    private final Redaction redaction = Redaction.of(List.of("configured-secret-value"));

    @Test
    void masksConfiguredSecretsAndKeysShapedLikeAnyProvidersOwn() {
        assertThat(redaction.text("bad key configured-secret-value")).isEqualTo("bad key ***");
        assertThat(redaction.text("API key not valid: AIzaSyD-abcdefghijklmnopqrstuvwxyz12345")).isEqualTo("API key not valid: AIza***");
        assertThat(redaction.text("The security token of AKIAIOSFODNN7EXAMPLE is invalid")).isEqualTo("The security token of AKIA*** is invalid");
        assertThat(redaction.text("Incorrect API key provided: sk-proj-abcdef")).isEqualTo("Incorrect API key provided: sk-pro***");
    }

    @Test
    void leavesOrdinaryWordsAlone() {
        assertThat(redaction.text("AKIAS and AIza are short words here")).isEqualTo("AKIAS and AIza are short words here");
    }
}
