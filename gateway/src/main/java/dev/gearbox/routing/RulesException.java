package dev.gearbox.routing;

import java.util.List;

/** Routing rules that cannot be used, with every problem found, each naming file, line and field. */
public final class RulesException extends RuntimeException {

    private final List<String> problems;

    RulesException(List<String> problems) {
        super(String.join("\n", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
