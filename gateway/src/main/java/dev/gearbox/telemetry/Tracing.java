package dev.gearbox.telemetry;

import dev.gearbox.config.GearboxConfig;
import dev.gearbox.config.TracingConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK of a gateway with tracing on: spans are batched on the SDK's own thread and sent
 * with OTLP/HTTP (protobuf, over the JDK's HTTP client), so no request waits for the collector. Made only
 * when {@code telemetry.tracing} is configured; without it nothing of OpenTelemetry is loaded.
 */
public final class Tracing implements AutoCloseable {

    /** Spans waiting for export at most; past that they are dropped and counted, never waited for. */
    static final int QUEUE_CAPACITY = 2048;
    private static final int BATCH_SIZE = 512;
    private static final long SHUTDOWN_WAIT_SECONDS = 5;

    private final SdkTracerProvider provider;
    private final Tracer tracer;

    private Tracing(SdkTracerProvider provider) {
        this.provider = provider;
        this.tracer = provider.tracerBuilder("dev.gearbox").build();
    }

    /** The SDK for {@code config}, counting its exported and dropped spans in {@code meters}. */
    public static Tracing create(TracingConfig config, MeterRegistry meters) {
        OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(config.endpoint())
                .setMeterProvider(MeterProvider.noop());
        config.headers().forEach(exporter::addHeader);
        SpanExportAccount account = SpanExportAccount.create(QUEUE_CAPACITY, meters);
        BatchSpanProcessor batch = BatchSpanProcessor.builder(account.counted(exporter.build()))
                .setScheduleDelay(Duration.ofMillis(config.exportIntervalMs()))
                .setMaxQueueSize(QUEUE_CAPACITY)
                .setMaxExportBatchSize(BATCH_SIZE)
                .setMeterProvider(MeterProvider.noop())
                .build();
        Resource resource = Resource.getDefault().merge(Resource.create(
                Attributes.of(AttributeKey.stringKey("service.name"), config.serviceName())));
        return new Tracing(SdkTracerProvider.builder()
                .setResource(resource)
                // A caller's sampled (or unsampled) trace is followed; the ratio decides only new traces.
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.samplingRatio())))
                .addSpanProcessor(account.bounded(batch))
                .build());
    }

    /**
     * The listener that turns the exchanges of a gateway with {@code config} into spans: prompts go into
     * them only with prompt logging on, and attempt spans name the host each provider is reached at.
     */
    public TracingListener listener(GearboxConfig config) {
        Map<String, URI> addresses = new HashMap<>();
        config.providers().forEach((name, provider) -> {
            if (provider.baseUrl() != null) {
                addresses.put(name, URI.create(provider.baseUrl()));
            }
        });
        return TracingListener.create(tracer, W3CTraceContextPropagator.getInstance(), config.server().logPrompts(),
                addresses);
    }

    /** Sends what is queued, within a bound: an unreachable collector does not hold up a shutdown. */
    @Override
    public void close() {
        provider.shutdown().join(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
