package dev.gearbox.routing.difficulty.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gearbox.routing.difficulty.DifficultyModel;
import dev.gearbox.routing.difficulty.WeightsFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class TrainerTest {

    @Test
    void reproducesTheShippedWeightsBitForBitFromTheShippedCorpus() throws IOException {
        List<Example> examples;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(DifficultyModel.class.getResourceAsStream(DifficultyModel.CORPUS)), StandardCharsets.UTF_8))) {
            examples = TrainingData.read(DifficultyModel.CORPUS, in);
        }
        Trainer.Result result = Trainer.train(examples, Trainer.Options.defaults());
        StringWriter trained = new StringWriter();
        WeightsFormat.write(result.model(), trained);

        String shipped;
        try (InputStream in = DifficultyModel.class.getResourceAsStream(DifficultyModel.SHIPPED)) {
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(trained.toString().equals(shipped)).as("trained weights equal " + DifficultyModel.SHIPPED).isTrue();
        // The bar train-router --labels holds new weights to on the shipped evaluation is these weights' own.
        assertThat(ShippedEvaluation.of(examples, result.outOfFold()).format()).as(ShippedEvaluation.RESOURCE)
                .isEqualTo(ShippedEvaluation.shipped().format());
    }

    @Test
    void measuresApgrAndCptAsEvalRouterDoes() {
        // eval_router.py's curve and summarize on these eight prompts give APGR 0.4375, CPT(50%) 68.8%, CPT(80%) 80.0%.
        double[] scores = {0.9, 0.1, 0.5, 0.3, 0.7, 0.2, 0.8, 0.4};
        double[] gains = {1, 0, -1, 1, 0, 1, 0, 1};

        Apgr apgr = Apgr.of(scores, gains);

        assertThat(apgr.apgr()).isCloseTo(0.4375, within(1e-12));
        assertThat(apgr.cpt50()).isCloseTo(0.688, within(0.0005));
        assertThat(apgr.cpt80()).isCloseTo(0.800, within(0.0005));
    }

    @Test
    void learnsWhichPromptsNeedReasoningFromLabelledOnesAndReportsItsAccuracy() {
        List<Example> examples = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 400; i++) {
            boolean hard = random.nextBoolean();
            String text = (hard ? "integrate the polynomial " : "say hello to ") + "item " + random.nextInt(1000);
            examples.add(Example.of(String.valueOf(i), "synthetic", text, new Label.Need(hard ? 1 : 0)));
        }
        Trainer.Result result = Trainer.train(examples, options(0));

        Accuracy accuracy = result.accuracy().get("synthetic");
        assertThat(accuracy.reasoning() + accuracy.cheap()).isEqualTo(400);
        assertThat(accuracy.reasoningAbove()).isGreaterThan(0.95);
        assertThat(accuracy.cheapAtOrBelow()).isGreaterThan(0.95);
        assertThat(result.model().score("integrate the polynomial item 5")).isGreaterThan(0.5);
        assertThat(result.model().score("say hello to item 5")).isLessThan(0.5);
    }

    @Test
    void ranksAGroupOfMeasuredGainsWithAnExpertThatOnlyItsPromptsOpen() throws IOException {
        // "quickly" marks the prompts of the quiz on which a strong model gains; the labelled prompts, which
        // never say "choose the answer", teach nothing of it. The quiz's expert learns it, and its gate keeps
        // it off other prompts: a labelled prompt that says "quickly" is scored by the shared head alone.
        List<Example> examples = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 600; i++) {
            boolean quickly = random.nextBoolean();
            String text = "choose the answer A B C D item " + random.nextInt(1000) + (quickly ? " quickly" : " slowly");
            examples.add(Example.of("q" + i, "quiz", text, new Label.Gain(quickly ? 1 : 0)));
        }
        for (int i = 0; i < 600; i++) {
            boolean hard = random.nextBoolean();
            String text = (hard ? "prove the theorem " : "write a poem ") + "number " + random.nextInt(1000)
                    + (random.nextBoolean() ? " quickly" : " slowly");
            examples.add(Example.of("l" + i, "written", text, new Label.Need(hard ? 1 : 0)));
        }
        Trainer.Result plain = Trainer.train(examples, options(0));
        Trainer.Result experts = Trainer.train(examples, options(100));

        assertThat(plain.model().experts()).isEmpty();
        assertThat(experts.model().expertGroups()).containsExactly("quiz");
        assertThat(plain.ranking().get("quiz").apgr()).isLessThan(0.6);
        assertThat(experts.ranking().get("quiz").apgr()).isGreaterThan(0.72);
        DifficultyModel model = experts.model();
        assertThat(model.score("choose the answer A B C D item 5 quickly")).isGreaterThan(model.score("choose the answer A B C D item 5 slowly"));
        assertThat(model.score("write a poem number 5 quickly")).isCloseTo(model.score("write a poem number 5 slowly"), within(0.05));

        StringWriter written = new StringWriter();
        WeightsFormat.write(model, written);
        DifficultyModel read = WeightsFormat.read("w.txt", new BufferedReader(new StringReader(written.toString())));
        assertThat(read.experts()).isEqualTo(model.experts());
        assertThat(read.score("choose the answer A B C D item 5 slowly")).isEqualTo(model.score("choose the answer A B C D item 5 slowly"));
    }

    @Test
    void trainsOneSourceAsItTrainsItsPromptsAndGivesAnAddedSourceFoldsOfItsOwn() throws IOException {
        List<Example> examples = new ArrayList<>();
        List<Example> more = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            boolean hard = random.nextBoolean();
            examples.add(Example.of("e" + i, "synthetic", (hard ? "derive the bound " : "say thanks to ") + random.nextInt(1000),
                    new Label.Need(hard ? 1 : 0)));
            more.add(Example.of("m" + i, LabelData.GROUP, "book the remittance " + random.nextInt(1000), new Label.Need(1)));
        }
        StringWriter alone = new StringWriter();
        WeightsFormat.write(Trainer.train(examples, options(0)).model(), alone);
        StringWriter asSource = new StringWriter();
        WeightsFormat.write(Trainer.trainSources(List.of(examples), options(0)).model(), asSource);

        Trainer.Result both = Trainer.trainSources(List.of(examples, more), options(0));

        assertThat(asSource.toString()).isEqualTo(alone.toString());
        assertThat(both.outOfFold()).hasSize(400);
        assertThat(both.accuracy().get(LabelData.GROUP).reasoningAbove()).isGreaterThan(0.95);
        assertThat(both.model().score("book the remittance 5")).isGreaterThan(0.5);
    }

    @Test
    void refusesGainsWithoutAnyLabelledPrompt() {
        List<Example> gains = List.of(Example.of("1", "mmlu", "which is it?", new Label.Gain(1)));

        assertThatThrownBy(() -> Trainer.train(gains, options(0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no labelled prompts");
    }

    @Test
    void trainsOnFewerPromptsThanFoldsWithoutProducingNonFiniteWeights() throws IOException {
        // One prompt: the fold that holds it trains on nothing at all.
        List<Example> examples = List.of(Example.of("1", "ops", "hello", new Label.Need(1)));

        Trainer.Result result = Trainer.train(examples, options(0));
        StringWriter written = new StringWriter();
        WeightsFormat.write(result.model(), written);

        DifficultyModel read = WeightsFormat.read("w.txt", new BufferedReader(new StringReader(written.toString())));
        assertThat(read.score("hello")).isBetween(0.0, 1.0);
    }

    private static Trainer.Options options(int expertMin) {
        return new Trainer.Options(1 << 12, 1.0, 10.0, 10.0, 4.0, expertMin, 5, 1, 6.0);
    }
}
