package dev.gearbox.providers.openai;

import dev.gearbox.config.ProviderConfig;
import dev.gearbox.config.ProviderOptions;
import dev.gearbox.providers.ConfiguredProvider;
import dev.gearbox.providers.HttpUpstream;
import dev.gearbox.providers.ProviderFamily;
import dev.gearbox.providers.ProviderSetup;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code type: openai}: any endpoint that speaks OpenAI's API. Its own field is {@code apis}, the OpenAI APIs
 * it serves besides chat completions ({@code responses}, {@code completions}), which it is then sent as the
 * client wrote them; {@code base_url} is required.
 */
public final class OpenAiFamily implements ProviderFamily {

    @Override
    public String type() {
        return "openai";
    }

    @Override
    public void check(ProviderOptions options) {
        apis(options);
    }

    @Override
    public String defaultBaseUrl(ProviderOptions options) {
        return null;
    }

    @Override
    public ConfiguredProvider open(ProviderSetup setup) {
        Set<ServedApi> apis = apis(setup.config().options());
        ProviderConfig config = setup.config();
        return () -> new OpenAiProvider(config, HttpUpstream.onLoop(setup.vertx(), setup.name(), config), apis);
    }

    static Set<ServedApi> apis(ProviderOptions options) {
        options.allowOnly("openai", Set.of("apis"));
        List<String> names = options.list("apis");
        if (names == null) {
            return EnumSet.of(ServedApi.CHAT_COMPLETIONS);
        }
        Set<ServedApi> apis = EnumSet.noneOf(ServedApi.class);
        names.forEach(name -> apis.add(ServedApi.parse(name)));
        if (!apis.contains(ServedApi.CHAT_COMPLETIONS)) {
            throw new IllegalArgumentException("apis: " + names + " (expected: chat_completions among them)");
        }
        return apis;
    }
}
