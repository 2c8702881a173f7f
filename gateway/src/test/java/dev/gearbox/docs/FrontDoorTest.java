package dev.gearbox.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Markdown;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README stays a front door: short, and a way into every page of docs/. */
class FrontDoorTest {

    private static final Path README = Markdown.ROOT.resolve("README.md");

    @Test
    void theReadmeFitsOnAFewScreens() {
        assertThat(Markdown.read(README).lines().count()).isLessThanOrEqualTo(150);
    }

    @Test
    void theReadmeLinksEveryPageOfTheDocs() {
        String readme = Markdown.read(README);

        for (Path page : Markdown.pages()) {
            if (!page.equals(README)) {
                assertThat(readme).as("README links %s", page).contains("](docs/" + page.getFileName() + ")");
            }
        }
    }
}
