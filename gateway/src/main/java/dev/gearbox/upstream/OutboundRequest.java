package dev.gearbox.upstream;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.providers.Cancellation;
import dev.gearbox.providers.ModelTarget;
import dev.gearbox.providers.Translator;
import dev.gearbox.providers.UpstreamRequest;
import dev.gearbox.routing.RouteDecision;
import dev.gearbox.wire.ChatRequest;
import dev.gearbox.wire.Request;

/** What one attempt sends a model: the client's request in the model's wire format, to the model's target. */
final class OutboundRequest {

    private OutboundRequest() {
    }

    /** @throws RuntimeException when the translator cannot express the request for this model */
    static UpstreamRequest of(Exchange exchange, ModelTarget target, Translator translator, Cancellation call) {
        Request request = exchange.request();
        ModelConfig model = target.model();
        Request sent = forModel(exchange, request, model);
        return new UpstreamRequest(request.operation(), translator.target(sent, model), model,
                translator.request(sent, model), request.stream(),
                request.stream() ? translator.streamContentType() : "application/json", exchange.requestId(), call,
                exchange.upstreamHeadersIfAny());
    }

    /** The request as this model is sent it: with the route's reasoning effort when the model reasons. */
    private static Request forModel(Exchange exchange, Request request, ModelConfig model) {
        RouteDecision decision = exchange.decision();
        if (decision != null && decision.effort() != null && model.reasons() && request instanceof ChatRequest chat) {
            return chat.withRoutedEffort(decision.effort().wireName());
        }
        return request;
    }
}
