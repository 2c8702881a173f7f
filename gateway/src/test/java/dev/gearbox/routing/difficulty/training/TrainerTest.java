package dev.gearbox.routing.difficulty.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gearbox.routing.difficulty.DifficultyModel;
import dev.gearbox.routing.difficulty.WeightsFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class TrainerTest {

    /** routing-eval's dev.jsonl with only the fields the trainer reads (id, benchmark, prompt, contaminated, scores). */
    static final String DEV = "/dev/gearbox/routing/difficulty/dev-train.jsonl.gz";

    @Test
    void reproducesTheShippedWeightsBitForBitFromTheSameDataAndSeed() throws IOException {
        List<Example> examples;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(TrainerTest.class.getResourceAsStream(DEV)), StandardCharsets.UTF_8))) {
            examples = TrainingData.read(DEV, in);
        }
        Trainer.Result result = Trainer.train(examples, Trainer.Options.defaults());
        StringWriter trained = new StringWriter();
        WeightsFormat.write(result.model(), trained);

        String shipped;
        try (InputStream in = DifficultyModel.class.getResourceAsStream(DifficultyModel.SHIPPED)) {
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(trained.toString().equals(shipped)).as("trained weights equal " + DifficultyModel.SHIPPED).isTrue();
        // The figures routing-rules/README.md reports for these weights.
        assertThat(result.crossValidated().get("mmlu").apgr()).isCloseTo(0.658, within(0.0005));
        assertThat(result.crossValidated().get("gsm8k").apgr()).isCloseTo(0.639, within(0.0005));
        assertThat(result.crossValidated().get("mt_bench").apgr()).isCloseTo(0.628, within(0.0005));
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
    void learnsWhichPromptsGainFromTheStrongModel() {
        List<Example> examples = new java.util.ArrayList<>();
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < 400; i++) {
            boolean hard = random.nextBoolean();
            String text = (hard ? "integrate the polynomial " : "say hello to ") + "item " + random.nextInt(1000);
            examples.add(new Example(String.valueOf(i), "synthetic", text, 1, false, 0, hard ? 1 : 0, false));
        }
        Trainer.Result result = Trainer.train(examples, new Trainer.Options(1 << 12, 1.0, 0.5, 5.0, 5, 1));

        assertThat(result.crossValidated().get("synthetic").apgr()).isGreaterThan(0.7);
        assertThat(result.model().score("integrate the polynomial item 5", 1, false, 0))
                .isGreaterThan(result.model().score("say hello to item 5", 1, false, 0));
    }

    @Test
    void givesALargeGroupAnExpertSoAWordCanMeanOppositeThingsInTwoGroups() throws IOException {
        // "quickly" marks the hard prompts of one group and the easy ones of the other: one linear model can
        // only partly fit that (it favours one group, here the maths one), an expert per group gated by which
        // group a prompt looks like fits both.
        // (Half the prompts gain, so a perfect ranking has an APGR of 0.75.)
        List<Example> examples = new java.util.ArrayList<>();
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int i = 0; i < 600; i++) {
            boolean quiz = i % 2 == 0;
            boolean quickly = random.nextBoolean();
            // A number between the group's words and "quickly", so no character 4-gram spans both.
            String text = (quiz ? "choose the answer A B C D" : "solve the word problem") + " item " + random.nextInt(1000)
                    + (quickly ? " quickly" : " slowly");
            boolean hard = quiz == quickly;
            examples.add(new Example(String.valueOf(i), quiz ? "quiz" : "maths", text, 1, false, 0, hard ? 1 : 0, false));
        }
        Trainer.Result plain = Trainer.train(examples, new Trainer.Options(1 << 12, 1.0, 0.5, 5.0, 5, 1, 0));
        Trainer.Result experts = Trainer.train(examples, new Trainer.Options(1 << 12, 1.0, 0.5, 5.0, 5, 1, 100));

        assertThat(plain.model().experts()).isEmpty();
        assertThat(experts.model().experts()).containsExactly("quiz", "maths");
        assertThat(experts.crossValidated().get("quiz").apgr()).isGreaterThan(plain.crossValidated().get("quiz").apgr() + 0.02).isGreaterThan(0.72);
        assertThat(experts.crossValidated().get("maths").apgr()).isGreaterThanOrEqualTo(plain.crossValidated().get("maths").apgr()).isGreaterThan(0.72);
        DifficultyModel model = experts.model();
        assertThat(model.score("choose the answer A B C D item 5 quickly", 1, false, 0))
                .isGreaterThan(model.score("choose the answer A B C D item 5 slowly", 1, false, 0));
        assertThat(model.score("solve the word problem item 5 slowly", 1, false, 0))
                .isGreaterThan(model.score("solve the word problem item 5 quickly", 1, false, 0));

        StringWriter written = new StringWriter();
        WeightsFormat.write(model, written);
        DifficultyModel read = WeightsFormat.read("w.txt", new BufferedReader(new java.io.StringReader(written.toString())));
        assertThat(read.experts()).containsExactly("quiz", "maths");
        assertThat(read.raw("solve the word problem item 5 slowly", 1, false, 0))
                .isEqualTo(model.raw("solve the word problem item 5 slowly", 1, false, 0));
    }

    @Test
    void trainsOnFewerPromptsThanFoldsWithoutProducingNonFiniteWeights() throws IOException {
        // One prompt: the fold that holds it trains on nothing at all.
        List<Example> examples = List.of(new Example("1", "ops", "hello", 1, false, 0, 1, false));

        Trainer.Result result = Trainer.train(examples, new Trainer.Options(1 << 8, 1.0, 0.5, 5.0, 5, 1));
        StringWriter written = new StringWriter();
        WeightsFormat.write(result.model(), written);

        DifficultyModel read = WeightsFormat.read("w.txt", new BufferedReader(new java.io.StringReader(written.toString())));
        assertThat(read.score("hello", 1, false, 0)).isBetween(0.0, 1.0);
    }
}
