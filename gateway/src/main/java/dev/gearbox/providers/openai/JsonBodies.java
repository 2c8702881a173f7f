package dev.gearbox.providers.openai;

import dev.gearbox.providers.Operation;
import dev.gearbox.providers.UpstreamRequest;
import java.util.List;

/** Applies the quirks that match a request's upstream model. */
final class JsonBodies {

    private JsonBodies() {
    }

    static void applyQuirks(UpstreamRequest request, List<RequestQuirk> quirks) {
        if (request.operation() != Operation.CHAT_COMPLETIONS) {
            return;
        }
        String upstream = request.model().upstream();
        for (RequestQuirk quirk : quirks) {
            if (quirk.appliesTo(upstream)) {
                quirk.apply(request.body());
            }
        }
    }
}
