package io.hawkeye.jobs.percentiles;

import io.hawkeye.telemetry.DeadLetter;
import io.hawkeye.telemetry.DeadLetterReason;
import io.hawkeye.telemetry.MetricSample;
import io.hawkeye.telemetry.Span;
import io.hawkeye.telemetry.TelemetryJson;
import java.io.Serializable;

/** How the generic pre-aggregator reads one kind of event: its series, time, value and error flag. */
public interface ObservationAdapter<T> extends Serializable {
    String service(T e);

    /** Endpoint (spans) or metric name (metric samples). */
    String name(T e);

    String unit(T e);

    long timestamp(T e);

    double value(T e);

    boolean error(T e);

    /** The dead letter for an event that arrived after its windows closed. */
    DeadLetter late(T e, String detail, long now);

    /** Spans: the value is the latency in milliseconds. */
    ObservationAdapter<Span> SPANS = new ObservationAdapter<>() {
        @Override public String service(Span e) { return e.service; }
        @Override public String name(Span e) { return e.endpoint; }
        @Override public String unit(Span e) { return null; }
        @Override public long timestamp(Span e) { return e.ts; }
        @Override public double value(Span e) { return e.durationMs; }
        @Override public boolean error(Span e) { return e.error; }

        @Override
        public DeadLetter late(Span e, String detail, long now) {
            return DeadLetter.of(DeadLetterReason.LATE, detail, e.sourceTopic, e.sourcePartition, e.sourceOffset,
                    now, TelemetryJson.toJson(e));
        }
    };

    /** Metric samples: the value is the sample's value. */
    ObservationAdapter<MetricSample> METRICS = new ObservationAdapter<>() {
        @Override public String service(MetricSample e) { return e.service; }
        @Override public String name(MetricSample e) { return e.name; }
        @Override public String unit(MetricSample e) { return e.unit; }
        @Override public long timestamp(MetricSample e) { return e.ts; }
        @Override public double value(MetricSample e) { return e.value; }
        @Override public boolean error(MetricSample e) { return false; }

        @Override
        public DeadLetter late(MetricSample e, String detail, long now) {
            return DeadLetter.of(DeadLetterReason.LATE, detail, e.sourceTopic, e.sourcePartition, e.sourceOffset,
                    now, TelemetryJson.toJson(e));
        }
    };
}
