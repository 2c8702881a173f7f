package dev.gearbox.providers;

/** A 2xx response whose body is not an answer: the provider broke its API. */
public final class NotAnAnswer extends RuntimeException {

    private final String code;

    /**
     * @param code a short reason, as the fallback path shows it: {@code malformed}, {@code wrong_content_type}
     * @param what what the provider did, completing "The upstream provider X ..."
     */
    public NotAnAnswer(String code, String what) {
        super(what, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
