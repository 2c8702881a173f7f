package dev.gearbox.routing.difficulty.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingDataTest {

    @Test
    void readsTheRoutingEvalFormat() {
        List<Example> examples = read("""
                {"id":"gsm8k/1","benchmark":"gsm8k","prompt":"How many?","contaminated":true,"weak":{"score":0},"strong":{"score":1}}
                """);

        assertThat(examples).containsExactly(new Example("gsm8k/1", "gsm8k", "How many?", 1, false, 0, 1.0, true));
    }

    @Test
    void readsAnOperatorsConversationsWithTheirGainOrBothScores() {
        List<Example> examples = read("""
                {"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"},
                  {"role":"assistant","content":"hello"},{"role":"user","content":[{"type":"text","text":"prove it"}]}],"gain":0.5,"tools":[{}]}
                {"prompt":"sum 2 and 2","weak_score":7,"strong_score":9.5,"group":"support"}
                """.replace("\n  ", ""));

        assertThat(examples).containsExactly(
                new Example("1", "default", "prove it", 4, true, 9, 0.5, false),
                new Example("2", "support", "sum 2 and 2", 1, false, 0, 2.5, false));
    }

    @Test
    void stopsAtAMalformedLineNamingTheFileAndLine() {
        assertThatThrownBy(() -> read("{\"prompt\":\"a\",\"gain\":1}\n\n{\"prompt\":\"b\"\n"))
                .isInstanceOf(TrainingDataException.class).hasMessageStartingWith("train.jsonl: line 3: not a JSON object");
        assertThatThrownBy(() -> read("{\"prompt\":\"a\",\"gain\":\"high\"}"))
                .hasMessage("train.jsonl: line 1: gain: 'high' (expected: a number)");
        assertThatThrownBy(() -> read("{\"prompt\":\"a\",\"weak_score\":1}"))
                .hasMessage("train.jsonl: line 1: strong_score: missing (expected: a number)");
        assertThatThrownBy(() -> read("{\"gain\":1}"))
                .hasMessage("train.jsonl: line 1: expected \"prompt\" (text) or \"messages\" (a chat conversation)");
        assertThatThrownBy(() -> read("{\"prompt\":\"a\"}"))
                .hasMessageStartingWith("train.jsonl: line 1: expected \"gain\"");
        assertThatThrownBy(() -> read("[1]")).hasMessageStartingWith("train.jsonl: line 1: not a JSON object");
        assertThatThrownBy(() -> read("\n")).hasMessage("train.jsonl: line 1: no training prompts (expected one JSON object a line)");
    }

    private static List<Example> read(String text) {
        return TrainingData.read("train.jsonl", new BufferedReader(new StringReader(text)));
    }
}
