package dev.gearbox.routing.difficulty.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafeguardTest {

    private static final ShippedEvaluation SHIPPED = new ShippedEvaluation(new Accuracy(0, 0.94, 0, 0.94),
            Map.of("mmlu", 0.66, "gsm8k", 0.66));

    @Test
    void letsWeightsThatAreBetterOnTheLabelsAndNoWorseOnTheShippedEvaluationThrough() {
        Safeguard safeguard = new Safeguard(new Accuracy(40, 0.10, 40, 0.95), new Accuracy(40, 0.90, 40, 0.95), SHIPPED,
                new ShippedEvaluation(new Accuracy(0, 0.937, 0, 0.94), Map.of("mmlu", 0.659, "gsm8k", 0.67)));

        assertThat(safeguard.worse()).isEmpty();
    }

    @Test
    void namesEveryFigureThatGotWorseByMoreThanTheTolerance() {
        Safeguard safeguard = new Safeguard(new Accuracy(40, 0.50, 40, 0.95), new Accuracy(40, 0.90, 40, 0.80), SHIPPED,
                new ShippedEvaluation(new Accuracy(0, 0.90, 0, 0.94), Map.of("gsm8k", 0.66)));

        assertThat(safeguard.worse()).containsExactly(
                "labels that did not scored at or below 0.5 80.0% < 95.0% with the current weights",
                "shipped evaluation: written prompts that need reasoning scored above 0.5 90.0% < 94.0%",
                "shipped evaluation: mmlu APGR - < 0.660");
    }

    @Test
    void refusesWhenTheCurrentWeightsCannotScoreTheLabels() {
        Safeguard safeguard = new Safeguard(null, new Accuracy(1, 1, 0, Double.NaN), SHIPPED, SHIPPED);

        assertThat(safeguard.worse()).singleElement().asString().startsWith("the current weights cannot score the labels");
    }

    @Test
    void measuresLabelsAtTheMidpointLeavingTiesOut() {
        List<Example> labels = List.of(label(1), label(1), label(0), label(0.5));

        Accuracy accuracy = Safeguard.onLabels(labels, new double[] {0.7, 0.4, 0.5, 0.9});

        assertThat(accuracy).isEqualTo(new Accuracy(2, 0.5, 1, 1.0));
    }

    private static Example label(double target) {
        return Example.of("x", LabelData.GROUP, "a request", new Label.Need(target));
    }
}
