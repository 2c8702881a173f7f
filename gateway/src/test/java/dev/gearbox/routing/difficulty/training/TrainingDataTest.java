package dev.gearbox.routing.difficulty.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearbox.routing.difficulty.Conversation;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingDataTest {

    @Test
    void readsTheRoutingEvalFormatAsGains() {
        List<Example> examples = read("""
                {"id":"gsm8k/1","benchmark":"gsm8k","prompt":"How many?","contaminated":true,"weak":{"score":0},"strong":{"score":1}}
                """);

        assertThat(examples).containsExactly(new Example("gsm8k/1", "gsm8k", Conversation.of("How many?"), new Label.Gain(1), 1, true));
    }

    @Test
    void readsLabelsTargetsAndWeights() {
        List<Example> examples = read("""
                {"id":"a","prompt":"prove it","label":"reasoning","group":"written"}
                {"id":"b","prompt":"hi","label":"cheap"}
                {"id":"c","prompt":"level 2 problem","target":0.6,"weight":0.25,"group":"math"}
                """);

        assertThat(examples).containsExactly(
                new Example("a", "written", Conversation.of("prove it"), new Label.Need(1), 1, false),
                new Example("b", "default", Conversation.of("hi"), new Label.Need(0), 1, false),
                new Example("c", "math", Conversation.of("level 2 problem"), new Label.Need(0.6), 0.25, false));
    }

    @Test
    void readsAnOperatorsConversationsWithTheirGainOrBothScores() {
        List<Example> examples = read("""
                {"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"},
                  {"role":"assistant","content":"hello"},{"role":"user","content":[{"type":"text","text":"prove it"}]}],"gain":0.5,"tools":[{}]}
                {"prompt":"sum 2 and 2","weak_score":7,"strong_score":9.5,"group":"support"}
                """.replace("\n  ", ""));

        assertThat(examples).containsExactly(
                new Example("1", "default", new Conversation("prove it", 4, true, 9), new Label.Gain(0.5), 1, false),
                new Example("2", "support", Conversation.of("sum 2 and 2"), new Label.Gain(2.5), 1, false));
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
                .hasMessageStartingWith("train.jsonl: line 1: expected \"label\"");
        assertThatThrownBy(() -> read("{\"prompt\":\"a\",\"label\":\"hard\"}"))
                .hasMessage("train.jsonl: line 1: label: 'hard' (expected: reasoning or cheap)");
        assertThatThrownBy(() -> read("{\"prompt\":\"a\",\"target\":1.5}"))
                .hasMessage("train.jsonl: line 1: target: 1.5 (expected: from 0 to 1)");
        assertThatThrownBy(() -> read("{\"prompt\":\"a\",\"label\":\"cheap\",\"weight\":0}"))
                .hasMessage("train.jsonl: line 1: weight: 0.0 (expected: > 0)");
        assertThatThrownBy(() -> read("[1]")).hasMessageStartingWith("train.jsonl: line 1: not a JSON object");
        assertThatThrownBy(() -> read("\n")).hasMessage("train.jsonl: line 1: no training prompts (expected one JSON object a line)");
    }

    private static List<Example> read(String text) {
        return TrainingData.read("train.jsonl", new BufferedReader(new StringReader(text)));
    }
}
