package dev.gearbox.providers;

/**
 * What a provider said about a failure, in its own words; any field may be null.
 *
 * @param message its message
 * @param type its error type, such as {@code invalid_request_error}
 * @param code its error code
 * @param param the parameter it blames
 */
public record ProviderError(String message, String type, String code, String param) {

    public static final ProviderError NONE = new ProviderError(null, null, null, null);
}
