package dev.gearbox.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The repository's Markdown as the doc tests read it: which pages, their fenced blocks, their prose. */
public final class Markdown {

    /** The repository root, seen from the gateway module where the tests run. */
    public static final Path ROOT = Path.of("..");
    private static final Pattern FENCE = Pattern.compile("(?m)^```(\\w*)\\n(.*?)^```\\s*$", Pattern.DOTALL);

    private Markdown() {
    }

    /** The front door and every page of {@code docs/}: what a newcomer reads. */
    public static List<Path> pages() {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    public static String read(Path page) {
        try {
            return Files.readString(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bodies of the fenced blocks in {@code language}, in order. */
    public static List<String> blocks(String markdown, String language) {
        List<String> blocks = new ArrayList<>();
        Matcher m = FENCE.matcher(markdown);
        while (m.find()) {
            if (m.group(1).equals(language)) {
                blocks.add(m.group(2));
            }
        }
        return blocks;
    }

    /** The text without its fenced blocks, so a {@code #} comment in a shell block is no heading. */
    public static String prose(String markdown) {
        return FENCE.matcher(markdown).replaceAll("");
    }
}
