package dev.gearbox.console.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LineDiffTest {

    private static final String TEN = IntStream.rangeClosed(1, 10).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n"));

    @Test
    void anEditedLineIsOneHunkWithThreeLinesOfContextRemovalFirst() {
        String edited = TEN.replace("line 5\n", "line five\n");

        assertThat(LineDiff.unified("routes.yaml", TEN, edited)).isEqualTo("""
                --- a/routes.yaml
                +++ b/routes.yaml
                @@ -2,7 +2,7 @@
                 line 2
                 line 3
                 line 4
                -line 5
                +line five
                 line 6
                 line 7
                 line 8
                """);
    }

    @Test
    void changesFarApartAreSeparateHunksAndNearOnesShareOne() {
        String far = TEN.replace("line 1\n", "first\n").replace("line 10\n", "last\n");
        assertThat(LineDiff.unified("f", TEN, far)).contains("@@ -1,4 +1,4 @@").contains("@@ -7,4 +7,4 @@");

        String near = TEN.replace("line 3\n", "three\n").replace("line 8\n", "eight\n");
        assertThat(LineDiff.unified("f", TEN, near)).containsOnlyOnce("\n@@ ").contains("@@ -1,10 +1,10 @@");
    }

    @Test
    void linesAddedAtTheEndAndAFileEmptiedAreNumberedAsDiffNumbersThem() {
        assertThat(LineDiff.unified("f", "a\nb\n", "a\nb\nc\n")).endsWith("@@ -1,2 +1,3 @@\n a\n b\n+c\n");
        assertThat(LineDiff.unified("f", "a\n", "")).endsWith("@@ -1,1 +0,0 @@\n-a\n");
        assertThat(LineDiff.unified("f", "", "a\n")).endsWith("@@ -0,0 +1,1 @@\n+a\n");
    }

    @Test
    void theSameTextHasNoDiff() {
        assertThat(LineDiff.unified("f", TEN, TEN)).isEmpty();
    }
}
