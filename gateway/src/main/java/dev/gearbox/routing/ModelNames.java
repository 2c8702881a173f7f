package dev.gearbox.routing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dated and undated names of one model. Providers pin snapshots with a date suffix: Anthropic's
 * {@code claude-sonnet-4-20250514} (eight digits) and OpenAI's {@code gpt-4o-2024-08-06}; SDKs and tools such
 * as Claude Code send those, so a catalog entry answers to its dated names without an alias for each.
 * Anthropic's own aliases of the newest snapshot, {@code claude-sonnet-4-0} and {@code claude-3-5-haiku-latest},
 * are undated names of the same kind.
 */
final class ModelNames {

    private static final Pattern DATED = Pattern.compile(
            "^(.+)-(20\\d\\d)-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\\d|3[01])$");

    private static final String[] ALIASES = {"-latest", "-0"};

    private ModelNames() {
    }

    /** The name without its date suffix ({@code claude-sonnet-4} for {@code claude-sonnet-4-20250514}); itself when undated. */
    static String undated(String name) {
        for (String alias : ALIASES) {
            if (name.endsWith(alias) && name.length() > alias.length()) {
                return name.substring(0, name.length() - alias.length());
            }
        }
        Matcher m = DATED.matcher(name);
        if (!m.matches()) {
            return name;
        }
        // Both spellings, yyyymmdd and yyyy-mm-dd, but never a mix of the two.
        String suffix = name.substring(m.end(1) + 1);
        return suffix.length() == 8 || suffix.length() == 10 ? m.group(1) : name;
    }

    /** The date of a dated name as yyyymmdd, for choosing the newest snapshot; empty when undated. */
    static String date(String name) {
        Matcher m = DATED.matcher(name);
        return m.matches() && !undated(name).equals(name) ? m.group(2) + m.group(3) + m.group(4) : "";
    }
}
