package io.hawkeye.jobs.percentiles;

import io.hawkeye.jobs.SideOutputs;
import io.hawkeye.jobs.Uid;
import io.hawkeye.jobs.ingest.DeadLetterCounter;
import io.hawkeye.jobs.ingest.ResumingIdleWatermarks;
import io.hawkeye.jobs.ingest.TelemetryEvent;
import io.hawkeye.jobs.ingest.TelemetryRouter;
import io.hawkeye.stats.CallEdgeStats;
import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import io.hawkeye.telemetry.DeadLetter;
import io.hawkeye.telemetry.MetricSample;
import io.hawkeye.telemetry.Span;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Window statistics as a function from streams to streams: parsed telemetry in; per-endpoint and per-service
 * request statistics, per-metric statistics and dead letters out. The job wires Kafka and Elasticsearch around
 * it; tests call it with bounded sources and collecting sinks.
 *
 * <pre>
 * telemetry ─► router ─► spans ─► pre-aggregate ─┬─► keyBy(service|endpoint) ─► endpoint windows ─┐
 *                │                               └─► keyBy(service) ─────────► service windows ──┴─► window stats
 *                ├─► metrics ─► pre-aggregate ─► keyBy(service|name) ─► metric windows ─► metric stats
 *                ├─► dead letters (+ late events from the pre-aggregators) ─► counter ─► dead letters
 *                └─► client spans ─┬ (with callEdges) CallEdges: paired with the request spans ─► call-edge stats
 * </pre>
 */
public final class WindowStatsWorkflow {
    /**
     * The workflow's outputs. {@code windowStats} carries both endpoint and service scope; {@code spans} are the
     * validated request spans (for further workflows, e.g. the dependency graph of the alert correlation);
     * {@code callEdges} the per-edge call statistics ({@link CallEdges}), null unless asked for.
     */
    public record Outputs(DataStream<WindowStats> windowStats, DataStream<MetricStats> metricStats,
            DataStream<DeadLetter> deadLetters, DataStream<Span> spans, DataStream<CallEdgeStats> callEdges) {}

    private WindowStatsWorkflow() {}

    /**
     * The event-time strategy for the telemetry source: bounded out-of-orderness per partition plus idleness that
     * survives a broker stall ({@link ResumingIdleWatermarks}: a partition back from idleness holds its watermark
     * for {@code resumeGrace}, so the partitions waking up after it are not late).
     */
    public static WatermarkStrategy<TelemetryEvent> watermarks(Duration outOfOrderness, Duration idleness,
            Duration resumeGrace) {
        WatermarkStrategy<TelemetryEvent> s = idleness.isZero()
                ? WatermarkStrategy.forBoundedOutOfOrderness(outOfOrderness)
                : WatermarkStrategy.forGenerator(ctx -> new ResumingIdleWatermarks<>(outOfOrderness, idleness,
                        resumeGrace, ctx.getInputActivityClock()));
        return s.withTimestampAssigner((e, kafkaTs) -> e.eventTime());
    }

    /** Without per-edge call statistics. */
    public static Outputs build(DataStream<TelemetryEvent> telemetry, WindowSpec spec) {
        return build(telemetry, spec, false);
    }

    /** With {@code callEdges}, also the per-edge call statistics of client spans paired with request spans. */
    public static Outputs build(DataStream<TelemetryEvent> telemetry, WindowSpec spec, boolean callEdges) {
        SingleOutputStreamOperator<Span> spans = telemetry
                .process(new TelemetryRouter())
                .uid(Uid.TELEMETRY_ROUTER.id()).name("Route telemetry");
        DataStream<MetricSample> metrics = spans.getSideOutput(SideOutputs.METRIC_SAMPLES);

        SingleOutputStreamOperator<PartialAggregate> spanPartials = spans.transform("Pre-aggregate spans",
                TypeInformation.of(PartialAggregate.class),
                new LocalSketchCombiner<>(spec, ObservationAdapter.SPANS, spec.maxEndpointsPerService()))
                .uid(Uid.SPAN_PREAGGREGATE.id());
        SingleOutputStreamOperator<PartialAggregate> metricPartials = metrics.transform(
                "Pre-aggregate metric samples", TypeInformation.of(PartialAggregate.class),
                new LocalSketchCombiner<>(spec, ObservationAdapter.METRICS, spec.maxMetricsPerService()))
                .uid(Uid.METRIC_PREAGGREGATE.id());

        SingleOutputStreamOperator<WindowStats> endpointStats = spanPartials
                .keyBy(p -> io.hawkeye.telemetry.SeriesKeys.join(p.service, p.name))
                .process(new WindowAggregator<>(spec, ResultFactory.ENDPOINT_STATS, false),
                        TypeInformation.of(WindowStats.class))
                .uid(Uid.ENDPOINT_WINDOWS.id()).name("Endpoint window statistics");
        DataStream<WindowStats> serviceStats = spanPartials
                .keyBy(p -> p.service)
                .process(new WindowAggregator<>(spec, ResultFactory.SERVICE_STATS, true),
                        TypeInformation.of(WindowStats.class))
                .uid(Uid.SERVICE_WINDOWS.id()).name("Service window statistics (rollup)");
        SingleOutputStreamOperator<MetricStats> metricStats = metricPartials
                .keyBy(p -> io.hawkeye.telemetry.SeriesKeys.join(p.service, p.name))
                .process(new WindowAggregator<>(spec, ResultFactory.METRIC_STATS, false),
                        TypeInformation.of(MetricStats.class))
                .uid(Uid.METRIC_WINDOWS.id()).name("Metric window statistics");

        DataStream<DeadLetter> rejected = spans.getSideOutput(SideOutputs.DEAD_LETTERS)
                .union(spanPartials.getSideOutput(SideOutputs.DEAD_LETTERS),
                        metricPartials.getSideOutput(SideOutputs.DEAD_LETTERS),
                        endpointStats.getSideOutput(SideOutputs.DEAD_LETTERS),
                        metricStats.getSideOutput(SideOutputs.DEAD_LETTERS));
        CallEdges.Outputs calls = null;
        if (callEdges) {
            calls = CallEdges.build(spans.getSideOutput(SideOutputs.CALL_SPANS), spans, spec);
            rejected = rejected.union(calls.deadLetters());
        }
        DataStream<DeadLetter> deadLetters = rejected
                .map(new DeadLetterCounter())
                .uid(Uid.DEAD_LETTER_COUNTER.id()).name("Count dead letters");

        return new Outputs(endpointStats.union(serviceStats), metricStats, deadLetters, spans,
                calls == null ? null : calls.stats());
    }
}
