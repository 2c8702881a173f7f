package dev.gearbox.routing.difficulty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureRowTest {

    private static final DifficultyModel SHIPPED = DifficultyModel.shipped();
    private static final List<Conversation> CONVERSATIONS = List.of(
            Conversation.of("Prove that there are infinitely many primes of the form 4k+3."),
            Conversation.of("hi! what's a good name for a cat?"),
            new Conversation("A train leaves at 3pm going 60 km/h; another at 4pm going 80 km/h. When does it catch up?",
                    5, true, 120),
            Conversation.of("Which of these is a mammal? A) shark B) dolphin C) trout D) eel"),
            Conversation.of("证明：对任意正整数 n，n^3 - n 能被 6 整除。"),
            Conversation.of("x".repeat(9000) + " explain the deadlock in this code"),
            Conversation.of(""));

    @Test
    void scoresAsTheTextItWasCountedFrom() {
        for (Conversation c : CONVERSATIONS) {
            FeatureRow row = FeatureRow.of(SHIPPED.featurizer(), c);

            assertThat(SHIPPED.score(row)).as(c.lastUserMessage()).isCloseTo(SHIPPED.score(c), within(1e-5));
            assertThat(row.length()).isEqualTo(c.lastUserMessage().length());
        }
    }

    @Test
    void readsBackEqualFromItsCompactForm() {
        for (Conversation c : CONVERSATIONS) {
            FeatureRow row = FeatureRow.of(SHIPPED.featurizer(), c);
            String encoded = row.encode();

            assertThat(FeatureRow.decode(encoded)).isEqualTo(row);
            assertThat(encoded).matches("[A-Za-z0-9._-]+");
        }
    }

    @Test
    void keepsAPromptInAFewTimesItsLengthAndNoneOfItsWords() {
        String prompt = "Our quarterly report needs a summary of revenue by region, with the three largest changes "
                + "explained in plain words for the board, and a note on what we expect next quarter.";
        String encoded = FeatureRow.of(SHIPPED.featurizer(), Conversation.of(prompt)).encode();

        assertThat(encoded.length()).isLessThan(prompt.length() * 7);
        assertThat(encoded).doesNotContain("revenue").doesNotContain("quarter");
    }

    @Test
    void givesTheTrainerTheSameRowTwiceFromOneBuilder() {
        FeatureRow.Builder builder = new FeatureRow.Builder(SHIPPED.featurizer().buckets());
        for (Conversation c : CONVERSATIONS) {
            builder.reset();
            SHIPPED.featurizer().features(c.lastUserMessage(), c.turns(), c.tools(), c.systemChars(), builder);
            FeatureRow reused = builder.row(c.length());

            assertThat(reused).isEqualTo(FeatureRow.of(SHIPPED.featurizer(), c));
        }
    }

    @Test
    void refusesWhatIsNotARowOfThisGatewaysFeatures() {
        String good = FeatureRow.of(SHIPPED.featurizer(), Conversation.of("prove it")).encode();
        String[] parts = good.split("\\.");

        assertThatThrownBy(() -> FeatureRow.decode("prove it")).hasMessageStartingWith("features: not a feature row");
        assertThatThrownBy(() -> FeatureRow.decode(good.replace(parts[1], "3-000000000000")))
                .hasMessageContaining("counted by featurizer 3-000000000000 (expected: " + Featurizer.fingerprint());
        assertThatThrownBy(() -> FeatureRow.decode(good.replace("." + parts[2] + ".", ".1000.")))
                .hasMessage("features: buckets 1000 (expected: a power of two >= 2)");
        assertThatThrownBy(() -> FeatureRow.decode(String.join(".", parts[0], parts[1], parts[2], parts[3], "999", parts[5],
                parts[6], parts[7]))).hasMessageStartingWith("features: counts add up to");
        assertThatThrownBy(() -> FeatureRow.decode(String.join(".", parts[0], parts[1], parts[2], parts[3], parts[4], parts[5],
                parts[6], "AAAA"))).hasMessageStartingWith("features: the dense part does not hold");
        assertThatThrownBy(() -> FeatureRow.decode(String.join(".", parts[0], parts[1], parts[2], parts[3], parts[4], parts[5],
                "gA", parts[7]))).hasMessage("features: the sparse part ends inside a number");
    }

    @Test
    void refusesToBeScoredByWeightsOfOtherBuckets() {
        FeatureRow row = FeatureRow.of(Featurizer.of(1 << 10), Conversation.of("prove it"));

        assertThatThrownBy(() -> SHIPPED.score(row)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("features counted over 1024 buckets (expected: 32768, these weights')");
    }
}
