package dev.gearbox.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bound in front of the export queue, and the counts of what became of each span. */
class SpanExportAccountTest {

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final SpanExportAccount account = SpanExportAccount.create(2, meters);
    private final List<ReadableSpan> queued = new ArrayList<>();

    @Test
    void spansPastTheBoundAreDroppedAndCountedUntilAnExportMakesRoom() {
        SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(account.bounded(queue())).build();
        SpanExporter exporter = account.counted(InMemorySpanExporter.create());

        end(provider, 3);
        assertThat(queued).hasSize(2);
        assertThat(dropped("queue_full")).isEqualTo(1);

        exporter.export(data()).join(1, TimeUnit.SECONDS);
        queued.clear();
        end(provider, 1);

        assertThat(queued).hasSize(1);
        assertThat(dropped("queue_full")).isEqualTo(1);
        assertThat(meters.counter(MeterNames.TRACE_SPANS_EXPORTED).count()).isEqualTo(2);
        provider.close();
    }

    @Test
    void theSpansOfAFailedExportAreCounted() {
        SpanExporter failing = account.counted(new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                return CompletableResultCode.ofFailure();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        });
        SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(account.bounded(queue())).build();
        end(provider, 2);

        failing.export(data());

        assertThat(dropped("export_failed")).isEqualTo(2);
        assertThat(meters.counter(MeterNames.TRACE_SPANS_EXPORTED).count()).isZero();
        provider.close();
    }

    private SpanProcessor queue() {
        return new SpanProcessor() {
            @Override
            public void onStart(Context parentContext, ReadWriteSpan span) {
            }

            @Override
            public boolean isStartRequired() {
                return false;
            }

            @Override
            public void onEnd(ReadableSpan span) {
                queued.add(span);
            }

            @Override
            public boolean isEndRequired() {
                return true;
            }
        };
    }

    private static void end(SdkTracerProvider provider, int spans) {
        for (int i = 0; i < spans; i++) {
            provider.get("test").spanBuilder("span " + i).startSpan().end();
        }
    }

    private List<SpanData> data() {
        return queued.stream().map(ReadableSpan::toSpanData).toList();
    }

    private double dropped(String reason) {
        return meters.counter(MeterNames.TRACE_SPANS_DROPPED, MeterNames.TAG_REASON, reason).count();
    }
}
