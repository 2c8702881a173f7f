package dev.gearbox.routing;

/** A problem in the routing rules at a path such as {@code routes[2].when.prompt_tokens.gt}. */
final class RuleException extends RuntimeException {

    private final String path;

    RuleException(String path, String message) {
        super(message, null, false, false);
        this.path = path;
    }

    String path() {
        return path;
    }
}
