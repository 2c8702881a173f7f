package dev.gearbox.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.testing.Markdown;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every relative link of the README and docs/ leads somewhere: the file exists, and so does the heading it names. */
class DocsLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]*`");

    @Test
    void everyRelativeLinkResolvesToAFileAndItsHeading() {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : Markdown.pages()) {
            Matcher link = LINK.matcher(Markdown.prose(Markdown.read(page)));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
                    continue;
                }
                checked++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(page + ": " + target + " (no such file)");
                } else if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
                    broken.add(page + ": " + target + " (no such heading; there are " + anchors(resolved) + ")");
                }
            }
        }

        assertThat(broken).isEmpty();
        assertThat(checked).isGreaterThan(20);
    }

    @Test
    void headingsBecomeTheAnchorsGitHubGivesThem() {
        assertThat(anchors("## Keys, rate limits and budgets\n## State: one node or many\n## `cache`\n## Cache\n"))
                .containsExactlyInAnyOrder("keys-rate-limits-and-budgets", "state-one-node-or-many", "cache", "cache-1");
    }

    private static Set<String> anchors(Path page) {
        return page.toString().endsWith(".md") ? anchors(Markdown.prose(Markdown.read(page))) : Set.of();
    }

    /** GitHub's slugs: lower case, punctuation dropped, spaces as hyphens, a repeated one numbered. */
    private static Set<String> anchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        Matcher heading = HEADING.matcher(markdown);
        while (heading.find()) {
            String text = INLINE_CODE.matcher(heading.group(1)).replaceAll(m -> m.group().replace("`", ""));
            String slug = text.strip().toLowerCase(java.util.Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N}\\p{M}_ -]", "")
                    .replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum) - 1;
            anchors.add(n == 0 ? slug : slug + "-" + n);
        }
        return anchors;
    }
}
