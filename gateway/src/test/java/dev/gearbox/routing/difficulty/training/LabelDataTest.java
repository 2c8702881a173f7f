package dev.gearbox.routing.difficulty.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.routing.difficulty.Conversation;
import dev.gearbox.routing.difficulty.DifficultyModel;
import dev.gearbox.routing.difficulty.FeatureRow;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelDataTest {

    private static final FeatureRow ROW = FeatureRow.of(DifficultyModel.shipped().featurizer(),
            Conversation.of("Book the remittance across both invoices"));

    @Test
    void readsTheLabelsOfAGatewayWithTheirKeptFeaturesAsNeedTargets() {
        LabelData.Labels labels = read(
                line(1, 1).put("route", "default").put("tier", "cheap").put("difficulty", 0.31).encode(),
                line(0, 1).encode(),
                line(0.5, 2).encode());

        assertThat(labels.examples()).extracting(Example::label)
                .containsExactly(new Label.Need(1), new Label.Need(0), new Label.Need(0.5));
        assertThat(labels.examples()).allSatisfy(e -> {
            assertThat(e.prompt()).isEqualTo(ROW);
            assertThat(e.group()).isEqualTo(LabelData.GROUP);
        });
        assertThat(labels.examples().get(2).weight()).isEqualTo(2);
        assertThat(labels.examples().get(0).id()).isEqualTo("req-1");
    }

    @Test
    void readsTheTextOfARouteThatKeepsIt() {
        LabelData.Labels labels = read(new JsonObject().put("request_id", "r").put("label", 1)
                .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user").put("content", "prove it")))
                .encode(), new JsonObject().put("label", 0).put("prompt", "hello").encode());

        assertThat(labels.examples()).extracting(Example::prompt)
                .containsExactly(new Conversation("prove it", 1, false, 0), Conversation.of("hello"));
    }

    @Test
    void skipsLabelsOfWeightZeroAndCountsThem() {
        LabelData.Labels labels = read(line(1, 0).encode(), line(0, 1).encode());

        assertThat(labels.examples()).hasSize(1);
        assertThat(labels.skipped()).isEqualTo(1);
    }

    @Test
    void stopsAtALineItCannotReadNamingTheFileAndLine() {
        assertThatThrownBy(() -> read(line(1, 1).encode(), "{\"label\": 2, \"features\": \"x\"}"))
                .isInstanceOf(TrainingDataException.class).hasMessage("labels.jsonl: line 2: label: 2.0 (expected: from 0 to 1)");
        assertThatThrownBy(() -> read("{\"label\": \"better\"}"))
                .hasMessage("labels.jsonl: line 1: label: 'better' (expected: a number)");
        assertThatThrownBy(() -> read("{\"label\": 1}"))
                .hasMessageStartingWith("labels.jsonl: line 1: expected \"features\"");
        assertThatThrownBy(() -> read("{\"label\": 1, \"features\": \"f1.9-zz\"}"))
                .hasMessageStartingWith("labels.jsonl: line 1: features: not a feature row");
        assertThatThrownBy(() -> read(line(1, -1).encode())).hasMessage("labels.jsonl: line 1: weight: -1.0 (expected: >= 0)");
        assertThatThrownBy(() -> read(line(1, 0).encode()))
                .hasMessageStartingWith("labels.jsonl: line 1: no labels to train on (1 of weight 0)");
    }

    private static JsonObject line(double label, double weight) {
        return new JsonObject().put("request_id", "req-1").put("label", label).put("weight", weight)
                .put("features", ROW.encode());
    }

    private static LabelData.Labels read(String... lines) {
        return LabelData.read("labels.jsonl", new BufferedReader(new StringReader(String.join("\n", List.of(lines)))));
    }
}
