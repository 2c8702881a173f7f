package dev.gearbox.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts every ended span into exported or dropped. The batch processor drops silently when its queue
 * is full, so this keeps its own bound in front of it: at most {@code capacity} spans between ending and
 * leaving for the collector, the rest counted as {@code queue_full}; spans of a failed export count as
 * {@code export_failed}. Thread-safe; never blocks.
 */
final class SpanExportAccount {

    private final int capacity;
    private final AtomicInteger pending = new AtomicInteger();
    private final Counter exported;
    private final Counter queueFull;
    private final Counter exportFailed;

    private SpanExportAccount(int capacity, MeterRegistry meters) {
        this.capacity = capacity;
        this.exported = meters.counter(MeterNames.TRACE_SPANS_EXPORTED);
        this.queueFull = meters.counter(MeterNames.TRACE_SPANS_DROPPED, MeterNames.TAG_REASON, "queue_full");
        this.exportFailed = meters.counter(MeterNames.TRACE_SPANS_DROPPED, MeterNames.TAG_REASON, "export_failed");
    }

    static SpanExportAccount create(int capacity, MeterRegistry meters) {
        return new SpanExportAccount(capacity, meters);
    }

    /** {@code processor}, which ends spans into the queue, with the bound kept in front of it. */
    SpanProcessor bounded(SpanProcessor processor) {
        return new Bounded(processor);
    }

    /** {@code exporter}, whose results are counted. */
    SpanExporter counted(SpanExporter exporter) {
        return new Counted(exporter);
    }

    private final class Bounded implements SpanProcessor {
        private final SpanProcessor delegate;

        Bounded(SpanProcessor delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
            delegate.onStart(parentContext, span);
        }

        @Override
        public boolean isStartRequired() {
            return delegate.isStartRequired();
        }

        @Override
        public void onEnd(ReadableSpan span) {
            if (!span.getSpanContext().isSampled()) {
                return;
            }
            if (pending.incrementAndGet() > capacity) {
                pending.decrementAndGet();
                queueFull.increment();
                return;
            }
            delegate.onEnd(span);
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }

        @Override
        public CompletableResultCode forceFlush() {
            return delegate.forceFlush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }
    }

    private final class Counted implements SpanExporter {
        private final SpanExporter delegate;

        Counted(SpanExporter delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            int n = spans.size();
            // They have left the queue: room for as many new spans.
            pending.addAndGet(-n);
            CompletableResultCode result = delegate.export(spans);
            result.whenComplete(() -> (result.isSuccess() ? exported : exportFailed).increment(n));
            return result;
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }
    }
}
