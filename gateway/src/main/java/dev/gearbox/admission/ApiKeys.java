package dev.gearbox.admission;

import dev.gearbox.config.ApiKeyConfig;
import dev.gearbox.exchange.Caller;
import dev.gearbox.wire.ApiException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The configured inbound keys: who a presented {@code Authorization} value belongs to. With no keys
 * configured every caller is anonymous.
 */
public final class ApiKeys {

    private static final String BEARER = "Bearer ";

    private final Map<String, Caller> byKey;

    private ApiKeys(Map<String, Caller> byKey) {
        this.byKey = Map.copyOf(byKey);
    }

    public static ApiKeys of(List<ApiKeyConfig> keys) {
        Map<String, Caller> map = new HashMap<>();
        for (ApiKeyConfig key : keys) {
            map.put(key.key().value(), new Caller(key.tenant(), key.key().variable()));
        }
        return new ApiKeys(map);
    }

    /**
     * The caller an {@code Authorization} header value ({@code Bearer <key>}) names.
     *
     * @param header the header the value came from, named in the error
     * @throws ApiException 401 when keys are configured and the value names none of them
     */
    public Caller resolve(String authorization, String header) {
        if (byKey.isEmpty()) {
            return Caller.ANONYMOUS;
        }
        if (authorization == null || authorization.isBlank()) {
            throw ApiException.invalidApiKey(
                    "You didn't provide an API key. Send it in the " + header + " header as 'Bearer <key>'.");
        }
        String key = authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).trim() : "";
        Caller caller = byKey.get(key);
        if (caller == null) {
            // Never echo the key: a mistyped key is still close to a real one.
            throw ApiException.invalidApiKey("Incorrect API key provided.");
        }
        return caller;
    }
}
