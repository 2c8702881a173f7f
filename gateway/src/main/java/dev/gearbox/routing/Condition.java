package dev.gearbox.routing;

/**
 * A compiled test of a request, from the {@code when} of a route.
 *
 * <p>Compiled once per rules version: regexes and keyword sets are built then, so a test does no I/O
 * and compiles nothing.
 */
public interface Condition {

    /** Whether the request satisfies this condition. */
    boolean test(RequestFeatures request);

    /** What the condition asks, as an operator wrote it, e.g. {@code prompt_tokens > 8000}. */
    String describe();

    /** Why the request does not satisfy this condition, with the values seen; only for explanations. */
    default String whyNot(RequestFeatures request) {
        return "not " + describe();
    }

    /** Whether the condition looks at the requested model, so it can route a request for a concrete model. */
    default boolean mentionsModel() {
        return false;
    }
}
