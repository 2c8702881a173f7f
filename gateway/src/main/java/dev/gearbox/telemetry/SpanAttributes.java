package dev.gearbox.telemetry;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The attribute names of the gateway's spans, in one place as the meter names are ({@link MeterNames}):
 * OpenTelemetry's GenAI and HTTP semantic conventions where they name the thing, {@code gearbox.*} for the
 * rest.
 */
final class SpanAttributes {

    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
    static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("gearbox.request_id");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("gearbox.route");
    static final AttributeKey<String> TIER = AttributeKey.stringKey("gearbox.tier");
    static final AttributeKey<String> CACHE = AttributeKey.stringKey("gearbox.cache");
    static final AttributeKey<Double> COST = AttributeKey.doubleKey("gearbox.cost_usd");
    static final AttributeKey<Double> SAVINGS = AttributeKey.doubleKey("gearbox.savings_usd");
    static final AttributeKey<String> TENANT = AttributeKey.stringKey("gearbox.tenant");
    static final AttributeKey<String> FALLBACKS = AttributeKey.stringKey("gearbox.fallbacks");
    static final AttributeKey<Boolean> STREAM = AttributeKey.booleanKey("gearbox.stream");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("gearbox.outcome");
    static final AttributeKey<String> MODEL = AttributeKey.stringKey("gearbox.model");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("gearbox.attempt");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("gearbox.reason");

    private SpanAttributes() {
    }
}
