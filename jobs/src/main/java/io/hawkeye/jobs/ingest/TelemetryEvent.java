package io.hawkeye.jobs.ingest;

import io.hawkeye.json.ValueRecord;
import io.hawkeye.telemetry.DeadLetter;
import io.hawkeye.telemetry.MetricSample;
import io.hawkeye.telemetry.Span;
import io.hawkeye.telemetry.TelemetryParser;
import java.util.function.Consumer;

/**
 * What the telemetry source emits: exactly one of a span, a metric sample or a dead letter. Parsing happens in
 * the Kafka deserializer so that the watermark strategy can sit at the source and track event time per
 * partition; the {@link TelemetryRouter} then splits the union into typed streams. A Flink POJO.
 */
public class TelemetryEvent extends ValueRecord {
    public Span span;
    public MetricSample metric;
    public DeadLetter deadLetter;

    public TelemetryEvent() {}

    public static TelemetryEvent of(Span s) {
        TelemetryEvent e = new TelemetryEvent();
        e.span = s;
        return e;
    }

    public static TelemetryEvent of(MetricSample m) {
        TelemetryEvent e = new TelemetryEvent();
        e.metric = m;
        return e;
    }

    public static TelemetryEvent of(DeadLetter d) {
        TelemetryEvent e = new TelemetryEvent();
        e.deadLetter = d;
        return e;
    }

    /** A parser handler that hands each of the parser's results to {@code sink} as a TelemetryEvent. */
    public static TelemetryParser.Handler handler(Consumer<TelemetryEvent> sink) {
        return new TelemetryParser.Handler() {
            @Override
            public void span(Span span) {
                sink.accept(of(span));
            }

            @Override
            public void metric(MetricSample metric) {
                sink.accept(of(metric));
            }

            @Override
            public void deadLetter(DeadLetter deadLetter) {
                sink.accept(of(deadLetter));
            }
        };
    }

    /**
     * Event time. Dead letters have none; they report {@code Long.MIN_VALUE}, which never advances the
     * watermark.
     */
    public long eventTime() {
        if (span != null) return span.ts;
        if (metric != null) return metric.ts;
        return Long.MIN_VALUE;
    }

    @Override
    public String toString() {
        return span != null ? span.toString() : metric != null ? metric.toString() : String.valueOf(deadLetter);
    }
}
