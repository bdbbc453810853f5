package io.hawkeye.jobs.detect;

import io.hawkeye.alerts.Alert;
import io.hawkeye.jobs.SideOutputs;
import io.hawkeye.jobs.Uid;
import io.hawkeye.jobs.join.ServiceWindowJoin;
import io.hawkeye.jobs.join.WithoutEventTime;
import io.hawkeye.stats.CallEdgeStats;
import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;

/**
 * Anomaly detection as a function from streams to streams: window statistics (both scopes) and metric
 * statistics in; alerts of every detector out (one {@link Alert} model), plus the per-window anomaly scores of
 * the seasonal detector (LEARNING included) as a second output.
 *
 * <pre>
 * windowStats ─► signals (p50, p99, error_rate, rps) ─┐
 * metricStats ─► signals (metric mean) ───────────────┤
 * callEdges ───► signals (gap p50, p99; optional) ────┴► keyBy(scope|service|endpoint|signal)
 *                                                        ─► SeasonalDetectionFunction ─► alerts ─┐
 *                                                                                    └─► scores  │
 * windowStats ─► keyBy(seriesId) ────────────────┐                                               ├─► alerts
 * ruleUpdates ─► WithoutEventTime ─► broadcast ─┴► RulesEvaluator ──────────────────────────────┤
 * windowStats (service) ─► keyBy(service) ─┐                                                     │
 * metricStats (cpu) ─────► keyBy(service) ─┴► MultivariateDetectionFunction (if enabled) ────────┘
 * </pre>
 * Event time comes from the inputs' watermarks (window statistics carry the timestamp of their window's last
 * millisecond); absence of data is detected by the watermark, so the inputs must carry one. Each series must
 * arrive in window order from one upstream subtask — as the window aggregator (a keyed operator) or a Kafka topic
 * keyed by series emits it; the signal extraction is chained to the input (same parallelism), and the detector
 * ignores (and counts, metric {@code ignoredObservations}) a window that is not after the previous one.
 */
public final class DetectionWorkflow {
    /** {@code alerts}: seasonal and rule alerts; {@code scores}: every scored window of the seasonal detector. */
    public record Outputs(DataStream<Alert> alerts, DataStream<AnomalyScore> scores) {}

    private DetectionWorkflow() {}

    /** Seasonal detection plus the startup rules (no runtime rule updates). */
    public static DataStream<Alert> build(DataStream<WindowStats> windowStats, DataStream<MetricStats> metricStats,
            DetectionConfig config) {
        return build(windowStats, metricStats, null, config).alerts();
    }

    /**
     * The full workflow. {@code ruleUpdates} (nullable) is the rules topic; without it only the startup rules
     * of {@code config} apply.
     */
    public static Outputs build(DataStream<WindowStats> windowStats, DataStream<MetricStats> metricStats,
            DataStream<RuleUpdate> ruleUpdates, DetectionConfig config) {
        return build(windowStats, metricStats, null, ruleUpdates, config);
    }

    /**
     * With the per-edge call statistics ({@code callEdges}, nullable): their gap signals are seasonal series of
     * scope {@code edge} too, whose alerts the correlation attributes over the graph (docs/rca.md).
     */
    public static Outputs build(DataStream<WindowStats> windowStats, DataStream<MetricStats> metricStats,
            DataStream<CallEdgeStats> callEdges, DataStream<RuleUpdate> ruleUpdates, DetectionConfig config) {
        long minRequests = config.minRequests();
        DataStream<SignalObservation> signals = windowStats
                .flatMap((WindowStats w, Collector<SignalObservation> out) ->
                        SignalObservation.of(w, minRequests).forEach(out::collect))
                .returns(TypeInformation.of(SignalObservation.class))
                .uid(Uid.DETECT_WINDOW_SIGNALS.id()).name("Detect: window signals");
        if (metricStats != null) {
            signals = signals.union(metricStats
                    .flatMap((MetricStats m, Collector<SignalObservation> out) -> {
                        SignalObservation o = SignalObservation.of(m); // the metric's mean, or null
                        if (o != null) out.collect(o);
                    })
                    .returns(TypeInformation.of(SignalObservation.class))
                    .uid(Uid.DETECT_METRIC_SIGNALS.id()).name("Detect: metric signals"));
        }
        if (callEdges != null) {
            signals = signals.union(callEdges
                    .flatMap((CallEdgeStats e, Collector<SignalObservation> out) ->
                            SignalObservation.of(e, minRequests).forEach(out::collect))
                    .returns(TypeInformation.of(SignalObservation.class))
                    .uid(Uid.DETECT_EDGE_SIGNALS.id()).name("Detect: call-edge signals"));
        }
        SingleOutputStreamOperator<Alert> seasonal = signals
                .keyBy(SignalObservation::key)
                .process(new SeasonalDetectionFunction(config))
                .returns(TypeInformation.of(Alert.class))
                .uid(Uid.DETECT_SEASONAL.id()).name("Detect: seasonal");

        DataStream<RuleUpdate> updates = ruleUpdates != null ? ruleUpdates
                : windowStats.getExecutionEnvironment().fromData(RuleUpdate.NONE)
                        .uid(Uid.DETECT_NO_RULE_UPDATES.id()).name("Detect: no rule updates");
        // The updates carry no event time: without this, the rule operator's watermark would jump to the end of
        // time whenever every telemetry partition is idle (the side input's watermark was then the only one).
        updates = WithoutEventTime.of(updates, Uid.DETECT_RULE_UPDATES_WITHOUT_EVENT_TIME.id(), "Detect: rule updates");
        DataStream<Alert> rules = windowStats
                .keyBy(w -> w.seriesId)
                .connect(updates.broadcast(RulesEvaluator.RULES))
                .process(new RulesEvaluator(config))
                .returns(TypeInformation.of(Alert.class))
                .uid(Uid.DETECT_RULES.id()).name("Detect: threshold rules");

        DataStream<Alert> alerts = seasonal.union(rules);
        if (config.multivariate()) alerts = alerts.union(multivariate(windowStats, metricStats, config));
        return new Outputs(alerts, seasonal.getSideOutput(SideOutputs.ANOMALY_SCORES));
    }

    /** Per service: window statistics ⋈ cpu_utilization → isolation forest + relationship detector. */
    static DataStream<Alert> multivariate(DataStream<WindowStats> windowStats, DataStream<MetricStats> metricStats,
            DetectionConfig config) {
        DataStream<WindowStats> services = windowStats
                .filter(ServiceWindowJoin::serviceWindow)
                .uid(Uid.DETECT_MULTIVARIATE_WINDOWS.id()).name("Detect: service windows");
        DataStream<MetricStats> cpu = metricStats != null
                ? metricStats.filter(MultivariateDetectionFunction::relevant)
                : services.flatMap((WindowStats w, Collector<MetricStats> out) -> { })
                        .returns(TypeInformation.of(MetricStats.class));
        cpu = ((SingleOutputStreamOperator<MetricStats>) cpu)
                .uid(Uid.DETECT_MULTIVARIATE_METRICS.id()).name("Detect: cpu metrics");
        return services.keyBy(w -> w.service)
                .connect(cpu.keyBy(m -> m.service))
                .process(new MultivariateDetectionFunction(config))
                .returns(TypeInformation.of(Alert.class))
                .uid(Uid.DETECT_MULTIVARIATE.id()).name("Detect: multivariate");
    }
}
