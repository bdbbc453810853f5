package io.hawkeye.jobs.detect;

import io.hawkeye.alerts.Alert;
import io.hawkeye.alerts.AlertLifecycle;
import io.hawkeye.alerts.LifecyclePolicy;
import io.hawkeye.detect.DetectionResult;
import io.hawkeye.detect.SeasonalDetector;
import io.hawkeye.detect.SignalSpec;
import io.hawkeye.jobs.SideOutputs;
import io.hawkeye.jobs.StateTtl;
import io.hawkeye.telemetry.Signals;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Seasonal anomaly detection per (scope, service, endpoint, signal), keyed by {@link SignalObservation#key()}.
 * Keeps one {@link SeriesState} (seasonal model + alert lifecycle) per key, scores every window with
 * {@link SeasonalDetector}, runs {@link AlertLifecycle} and emits {@link Alert}s (FIRE, UPDATE at most every N
 * windows, RESOLVE) with detector {@code seasonal}. Every scored window also goes to side output
 * {@link SideOutputs#ANOMALY_SCORES}, LEARNING ones included.
 *
 * <p><b>Gap policy / drop to zero.</b> A series without traffic produces no window at all, so silence must be
 * detected by time: after each window of an {@code rps} series that is READY, an event-time timer is set at the
 * end of the next expected window. If the watermark passes it without data, the window is scored with
 * {@link SeasonalDetector#updateAbsent}: zero traffic on a series that expects ≥ {@code minExpectedCount}
 * requests per window is scored (and alerts on a busy series), quieter series are left alone — a missing window
 * alone never alerts. The timer re-arms window by window while the silence is scored; it stops once the model
 * has accepted the silence as the new normal (after {@code adaptAfterWindows}) or data returns. At the end of a
 * bounded input (watermark = +∞) nothing is treated as absent.
 *
 * <p><b>State lifetime.</b> An event-time cleanup timer removes the state of a series that has had no data for
 * {@code seriesIdleTimeoutMs} (a RESOLVED alert is emitted first if it was firing). A processing-time state TTL
 * of the same length plus one day is a safety net.
 */
public class SeasonalDetectionFunction extends KeyedProcessFunction<String, SignalObservation, Alert> {
    private static final long serialVersionUID = 1L;

    public static final String DETECTOR = "seasonal";
    /** Model version: the detector's algorithm revision and, after the colon, the baseline in use. */
    public static final String MODEL_VERSION = "seasonal-1";

    private final DetectionConfig config;

    private transient ValueState<SeriesState> state;
    private transient Map<String, SeasonalDetector> detectors;
    private transient Counter ignoredObservations;
    private transient Counter absentWindows;
    private transient Counter windowsScored;
    private transient Counter learningWindows;

    public SeasonalDetectionFunction(DetectionConfig config) {
        this.config = config;
    }

    public static ValueStateDescriptor<SeriesState> descriptor(DetectionConfig config) {
        ValueStateDescriptor<SeriesState> d = new ValueStateDescriptor<>("seasonal-series",
                TypeInformation.of(SeriesState.class));
        d.enableTimeToLive(StateTtl.of(Duration.ofMillis(config.seriesIdleTimeoutMs()).plus(Duration.ofDays(1))));
        return d;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(descriptor(config));
        detectors = new HashMap<>();
        ignoredObservations = getRuntimeContext().getMetricGroup().counter("ignoredObservations");
        absentWindows = getRuntimeContext().getMetricGroup().counter("absentWindowsScored");
        windowsScored = getRuntimeContext().getMetricGroup().counter("windowsScored");
        learningWindows = getRuntimeContext().getMetricGroup().counter("learningWindowsScored");
    }

    private SeasonalDetector detector(SeriesState s) {
        return detectors.computeIfAbsent(s.unit == null ? s.signal : s.signal + "|" + s.unit,
                k -> new SeasonalDetector(config.seasonal(), s.unit == null ? SignalSpec.forSignal(s.signal)
                        : SignalSpec.forMetric(s.signal, s.unit)));
    }

    @Override
    public void processElement(SignalObservation o, Context ctx, Collector<Alert> out) throws Exception {
        SeriesState s = state.value();
        if (s == null) {
            s = new SeriesState();
            s.scope = o.scope;
            s.service = o.service;
            s.endpoint = o.endpoint;
            s.signal = o.signal;
        }
        if (o.unit != null) s.unit = o.unit;
        SeasonalDetector detector = detector(s);
        DetectionResult r = detector.update(s.seasonal, o.windowStart, o.value, o.count);
        if (r == null) {
            // Duplicate, out-of-order or non-finite: the detector ignored it and so do we.
            ignoredObservations.inc();
            if (s.seasonal.n > 0) state.update(s);
            return;
        }
        s.windowSizeMs = o.windowEnd - o.windowStart;
        s.lastSeenEnd = Math.max(s.lastSeenEnd, o.windowEnd);
        handle(s, r, o.windowStart, o.windowEnd, false, ctx, out);

        if (s.absenceTimer != 0) {
            ctx.timerService().deleteEventTimeTimer(s.absenceTimer);
            s.absenceTimer = 0;
        }
        if (Signals.RPS.equals(o.signal) && !r.learning() && config.minExpectedCount() > 0) {
            s.absenceTimer = o.windowStart + step(s) + s.windowSizeMs;
            ctx.timerService().registerEventTimeTimer(s.absenceTimer);
        }
        if (s.cleanupTimer == 0) {
            s.cleanupTimer = s.lastSeenEnd + config.seriesIdleTimeoutMs();
            ctx.timerService().registerEventTimeTimer(s.cleanupTimer);
        }
        state.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        SeriesState s = state.value();
        if (s == null) return;
        if (timestamp == s.cleanupTimer) {
            long due = s.lastSeenEnd + config.seriesIdleTimeoutMs();
            if (due <= timestamp) {
                if (s.lifecycle.firing) {
                    Alert a = alert(s, s.lifecycle.lastActiveEnd - s.windowSizeMs, s.lifecycle.lastActiveEnd,
                            Double.NaN, null);
                    a.status = Alert.RESOLVED;
                    a.endsAt = s.lifecycle.lastActiveEnd;
                    a.labels.put("reason", "series-stopped");
                    out.collect(a);
                }
                if (s.absenceTimer != 0) ctx.timerService().deleteEventTimeTimer(s.absenceTimer);
                state.clear();
                return;
            }
            s.cleanupTimer = due;
            ctx.timerService().registerEventTimeTimer(due);
        }
        if (timestamp == s.absenceTimer) {
            s.absenceTimer = 0;
            // End of a bounded input: the watermark jumps to +∞; that is not silence.
            if (ctx.timerService().currentWatermark() != Long.MAX_VALUE) {
                long start = timestamp - s.windowSizeMs;
                DetectionResult r = detector(s).updateAbsent(s.seasonal, start, config.minExpectedCount());
                if (r != null) {
                    absentWindows.inc();
                    handle(s, r, start, timestamp, true, ctx, out);
                    s.absenceTimer = timestamp + step(s);
                    ctx.timerService().registerEventTimeTimer(s.absenceTimer);
                }
            }
        }
        state.update(s);
    }

    private static long step(SeriesState s) {
        return s.seasonal.stepMs > 0 ? s.seasonal.stepMs : s.windowSizeMs;
    }

    private void handle(SeriesState s, DetectionResult r, long start, long end, boolean absent, Context ctx,
            Collector<Alert> out) {
        SignalSpec spec = detector(s).spec();
        windowsScored.inc();
        if (r.learning()) learningWindows.inc();
        // Only the direction that matters for the signal counts (a latency drop or a traffic surge is no page).
        double score = r.learning() || !spec.alertOn.accepts(r.direction) ? 0 : r.score;
        ctx.output(SideOutputs.ANOMALY_SCORES, score(s, r, start, end, absent));
        LifecyclePolicy policy = config.seasonalPolicy(s.seasonal.stepMs); // the false-alarm budget per window size
        AlertLifecycle.Action action = AlertLifecycle.step(policy, s.lifecycle, score, start, end);
        if (action == AlertLifecycle.Action.NONE) return;
        Alert a = alert(s, start, end, score, r);
        if (action == AlertLifecycle.Action.RESOLVE) {
            a.status = Alert.RESOLVED;
            a.endsAt = s.lifecycle.lastActiveEnd;
        }
        if (absent) a.labels.put("absent", "true");
        out.collect(a);
    }

    private Alert alert(SeriesState s, long start, long end, double score, DetectionResult r) {
        Alert a = DetectorAlerts.firing(DETECTOR, s.signal, s.service, s.endpoint, config.seasonalSeverity(),
                s.lifecycle.startsAt);
        a.score = score;
        a.windowStart = start;
        a.windowEnd = end;
        a.labels.put("scope", s.scope);
        if (r != null) {
            a.value = r.value;
            a.expected = r.expected;
            a.lower = r.lower;
            a.upper = r.upper;
            a.labels.put("direction", r.directionName());
            a.labels.put("baseline", r.model);
            // The estimated probability per window of an excursion this far out (the series' tail model).
            a.labels.put("probability", String.format(java.util.Locale.ROOT, "%.3g", r.probability));
            a.modelVersion = MODEL_VERSION + ":" + r.model;
        } else {
            a.modelVersion = MODEL_VERSION;
        }
        return a;
    }

    private static AnomalyScore score(SeriesState s, DetectionResult r, long start, long end, boolean absent) {
        AnomalyScore a = new AnomalyScore();
        a.set(s.scope, s.service, s.endpoint, s.signal, start, end, r.value);
        a.expected = r.expected;
        a.lower = r.lower;
        a.upper = r.upper;
        a.score = r.score;
        a.z = r.z;
        a.direction = r.directionName();
        a.state = r.state.name();
        a.model = r.model;
        a.absent = absent;
        return a;
    }
}
