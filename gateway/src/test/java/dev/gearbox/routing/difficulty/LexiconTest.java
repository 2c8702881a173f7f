package dev.gearbox.routing.difficulty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class LexiconTest {

    @Test
    void readsSignalsWithTheirWordsAndPhrases() throws IOException {
        Lexicon lexicon = parse("""
                # comment
                proof: proof or derivation | prove, Show that, lemma
                math: a mathematical object | lemma, integer
                """);

        assertThat(lexicon.signals()).extracting(Lexicon.Signal::name).containsExactly("proof", "math");
        assertThat(lexicon.signals().get(0).label()).isEqualTo("proof or derivation");
        assertThat(lexicon.word(hash("PROVE"))).isEqualTo(0b01);
        assertThat(lexicon.word(hash("lemma"))).isEqualTo(0b11);
        assertThat(lexicon.word(hash("integer"))).isEqualTo(0b10);
        assertThat(lexicon.word(hash("theorem"))).isZero();
        assertThat(lexicon.pair(hash("show"), hash("that"))).isEqualTo(0b01);
        assertThat(lexicon.pair(hash("that"), hash("show"))).isZero();
    }

    @Test
    void fingerprintsTheWordsNotTheCommentsOrLayout() throws IOException {
        String a = parse("# one\nproof: proof | prove, lemma\n").fingerprint();
        String b = parse("# two\n\nproof: proof |prove,   lemma\n").fingerprint();
        String c = parse("proof: proof | prove, lemma, theorem\n").fingerprint();

        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void refusesALineWithoutNameLabelAndWords() {
        assertThatThrownBy(() -> parse("proof prove, lemma\n")).hasMessageContaining("line 1: expected 'name: label | words'");
        assertThatThrownBy(() -> parse("Proof: x | prove\n")).hasMessageContaining("signal name 'Proof'");
    }

    @Test
    void shipsSignalsThatEveryDenseFeatureNames() {
        Lexicon shipped = Lexicon.shipped();

        assertThat(shipped.signals()).hasSizeGreaterThan(10);
        for (Lexicon.Signal s : shipped.signals()) {
            assertThat(Featurizer.DENSE).contains(s.name(), s.name() + "_ask");
        }
    }

    private static Lexicon parse(String text) throws IOException {
        return Lexicon.parse(new BufferedReader(new StringReader(text)));
    }

    private static int hash(String word) {
        return Featurizer.wordHashes(word)[0];
    }
}
