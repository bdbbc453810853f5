package io.hawkeye.jobs.detect;

import io.hawkeye.alerts.Alert;
import io.hawkeye.alerts.AlertLifecycle;
import io.hawkeye.alerts.Attribution;
import io.hawkeye.alerts.LifecyclePolicy;
import io.hawkeye.alerts.LifecycleState;
import io.hawkeye.detect.multivariate.MultivariateDetector;
import io.hawkeye.detect.multivariate.MultivariateModel;
import io.hawkeye.detect.multivariate.MultivariateResult;
import io.hawkeye.detect.multivariate.ServiceFeatures;
import io.hawkeye.jobs.StateTtl;
import io.hawkeye.jobs.join.PendingWindows;
import io.hawkeye.jobs.join.ServiceWindowJoin;
import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import io.hawkeye.telemetry.Signals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * Multivariate detection per service, keyed by service: joins, per window, the service-scope {@link WindowStats}
 * (p50, p99, error rate, rps) with the mean of the service's {@value Signals#CPU_UTILIZATION} {@link MetricStats}, then runs
 * {@link MultivariateDetector} (isolation forest + relationship detector) and one {@link AlertLifecycle} per
 * detector ({@value #FOREST} and {@value #RELATIONSHIP}).
 *
 * <p><b>Join.</b> The windows wait in {@link PendingWindows} until both inputs' watermarks have passed their
 * end, so the window is complete; windows are scored in event-time order. Late revisions and inputs for a window
 * already scored are counted ({@code ignoredInputs}) and ignored.
 * A window without service window statistics (no requests) is not scored: gaps never alert here (a drop to
 * zero is the seasonal detector's job on rps). p99 and error rate are absent (imputed with the median) in
 * windows with fewer than {@code detect.min-requests} requests.
 *
 * <p><b>State.</b> {@link MultivariateServiceState} (sample, counters, lifecycles; ≈ 20.6 KB) is written every
 * window; the fitted {@link MultivariateModel} (≈ 0.5 MB, mostly the deflated forest) lives in its own entry,
 * written only at a refit and read only when the operator's model cache misses. An event-time timer removes both
 * {@code seriesIdleTimeoutMs} after the service's last window (resolving firing alerts first, label
 * {@code reason=series-stopped}); a processing-time TTL (timeout + 1 day) backs it up.
 */
public class MultivariateDetectionFunction extends ServiceWindowJoin<ServiceWindow, Alert> {
    private static final long serialVersionUID = 1L;

    public static final String FOREST = "iforest";
    public static final String RELATIONSHIP = "relationship";
    public static final String SIGNAL = "multivariate";

    private final DetectionConfig config;

    private transient ValueState<MultivariateServiceState> state;
    private transient ValueState<MultivariateModel> model;
    private transient MultivariateDetector detector;
    private transient LifecyclePolicy policy;
    private transient Counter refits;

    public MultivariateDetectionFunction(DetectionConfig config) {
        super("multivariate-pending", ServiceWindow.class, "ignoredInputs", ServiceWindowJoin::serviceWindow,
                m -> relevant(m) && Double.isFinite(m.mean));
        this.config = config;
    }

    /** Whether the detector uses this metric-statistics record. */
    public static boolean relevant(MetricStats m) {
        return Signals.CPU_UTILIZATION.equals(m.name) && m.revision == 0 && m.service != null;
    }

    private StateTtlConfig ttl() {
        return StateTtl.of(Duration.ofMillis(config.seriesIdleTimeoutMs()).plus(Duration.ofDays(1)));
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        ValueStateDescriptor<MultivariateServiceState> s = new ValueStateDescriptor<>("multivariate-service",
                TypeInformation.of(MultivariateServiceState.class));
        s.enableTimeToLive(ttl());
        ValueStateDescriptor<MultivariateModel> m = new ValueStateDescriptor<>("multivariate-model",
                TypeInformation.of(MultivariateModel.class));
        m.enableTimeToLive(ttl());
        state = getRuntimeContext().getState(s);
        model = getRuntimeContext().getState(m);
        detector = new MultivariateDetector(config.multivariateModel(), config.multivariateCachedModels());
        policy = config.seasonalPolicy();
        refits = getRuntimeContext().getMetricGroup().counter("multivariateRefits");
    }

    @Override
    protected ServiceWindow newWindow(String service, long start, long end) {
        ServiceWindow w = new ServiceWindow();
        w.windowStart = start;
        w.windowEnd = end;
        return w;
    }

    @Override
    protected long windowEnd(ServiceWindow w) {
        return w.windowEnd;
    }

    @Override
    protected void merge(ServiceWindow w, WindowStats s) {
        boolean enough = s.count >= config.minRequests();
        w.hasRequests = s.count > 0;
        w.count = s.count;
        w.rps = s.rps;
        w.p50Ms = s.p50Ms;
        w.p99Ms = enough ? s.p99Ms : Double.NaN;
        w.errorRate = enough ? s.errorRate : Double.NaN;
    }

    @Override
    protected void merge(ServiceWindow w, MetricStats m) {
        w.cpuSum += m.mean;
        w.cpuCount++;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        MultivariateServiceState s = state.value();
        for (ServiceWindow w : pending.removeDue(timestamp)) {
            if (!w.hasRequests) continue;
            if (s == null) {
                s = new MultivariateServiceState();
                s.service = ctx.getCurrentKey();
            }
            if (w.windowStart < s.lastSeenEnd) {
                ignored.inc();
                continue;
            }
            score(s, w, ctx, out);
        }
        if (s == null) return;
        if (timestamp == s.cleanupTimer) {
            long dueAt = s.lastSeenEnd + config.seriesIdleTimeoutMs();
            if (dueAt <= timestamp) {
                resolveStopped(s, FOREST, s.forestLifecycle, out);
                resolveStopped(s, RELATIONSHIP, s.relationshipLifecycle, out);
                state.clear();
                model.clear();
                return;
            }
            s.cleanupTimer = dueAt;
            ctx.timerService().registerEventTimeTimer(dueAt);
        }
        if (s.cleanupTimer == 0) {
            s.cleanupTimer = s.lastSeenEnd + config.seriesIdleTimeoutMs();
            ctx.timerService().registerEventTimeTimer(s.cleanupTimer);
        }
        state.update(s);
    }

    private void score(MultivariateServiceState s, ServiceWindow w, Context ctx, Collector<Alert> out)
            throws Exception {
        double[] x = ServiceFeatures.vector(w.p50Ms, w.p99Ms, w.errorRate, w.rps, w.cpu());
        MultivariateModel m = model.value();
        MultivariateResult r = detector.update(s.detector, m, w.windowStart, x);
        s.windowSizeMs = w.windowEnd - w.windowStart;
        s.lastSeenEnd = w.windowEnd;
        if (r.newModel() != null) {
            model.update(r.newModel());
            refits.inc();
        }
        if (r.learning()) return;
        String version = r.modelVersion();
        emit(s, FOREST, s.forestLifecycle, r.forestScore(), r.forestRaw(), m.forestScores,
                r.forestAttribution(), version, w, out);
        emit(s, RELATIONSHIP, s.relationshipLifecycle, r.relationshipScore(), r.distance(), m.distances,
                r.relationshipAttribution(), RELATIONSHIP + version.substring(version.indexOf('-')), w, out);
    }

    private void emit(MultivariateServiceState s, String name, LifecycleState lc, double score, double raw,
            double[] trainingScores, List<Attribution> attribution, String version, ServiceWindow w,
            Collector<Alert> out) {
        AlertLifecycle.Action action = AlertLifecycle.step(policy, lc, score, w.windowStart, w.windowEnd);
        if (action == AlertLifecycle.Action.NONE) return;
        Alert a = alert(s, name, lc, w.windowStart, w.windowEnd);
        a.score = score;
        a.value = raw;
        a.expected = trainingScores[(trainingScores.length - 1) / 2];
        a.upper = trainingScores[trainingScores.length - 1];
        a.attribution = new ArrayList<>(attribution);
        a.modelVersion = version;
        if (!attribution.isEmpty()) a.labels.put("top_feature", attribution.get(0).feature);
        if (action == AlertLifecycle.Action.RESOLVE) {
            a.status = Alert.RESOLVED;
            a.endsAt = lc.lastActiveEnd;
        }
        out.collect(a);
    }

    private void resolveStopped(MultivariateServiceState s, String name, LifecycleState lc, Collector<Alert> out) {
        if (!lc.firing) return;
        Alert a = alert(s, name, lc, lc.lastActiveEnd - s.windowSizeMs, lc.lastActiveEnd);
        a.status = Alert.RESOLVED;
        a.endsAt = lc.lastActiveEnd;
        a.labels.put("reason", "series-stopped");
        out.collect(a);
    }

    private Alert alert(MultivariateServiceState s, String name, LifecycleState lc, long start, long end) {
        Alert a = DetectorAlerts.firing(name, SIGNAL, s.service, WindowStats.ALL_ENDPOINTS, config.seasonalSeverity(),
                lc.startsAt);
        a.windowStart = start;
        a.windowEnd = end;
        a.labels.put("scope", WindowStats.SCOPE_SERVICE);
        return a;
    }
}
