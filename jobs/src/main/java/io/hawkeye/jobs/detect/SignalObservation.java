package io.hawkeye.jobs.detect;

import io.hawkeye.stats.CallEdgeStats;
import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import io.hawkeye.telemetry.Signals;
import java.util.ArrayList;
import java.util.List;

/**
 * One value of one signal of one series in one window: the unit the seasonal detector scores. Derived from
 * {@link WindowStats} (signals {@code p50_ms}, {@code p99_ms}, {@code error_rate}, {@code rps}; both scopes) and
 * from {@link MetricStats} (signal = the metric's name, value = its window mean, scope {@code metric}). A Flink
 * POJO.
 */
public class SignalObservation extends SignalValue {
    public static final String SCOPE_METRIC = "metric";
    /** A call edge's gap signals: service = the caller, endpoint = the callee. */
    public static final String SCOPE_EDGE = io.hawkeye.rca.AlertEvidence.EDGE_SCOPE;

    /** Requests (or samples) behind the value. */
    public long count;
    /** The metric's unit (scope {@code metric}; null for request signals): sets the minimum meaningful change. */
    public String unit;

    public SignalObservation() {}

    public SignalObservation(String scope, String service, String endpoint, String signal, long windowStart,
            long windowEnd, double value, long count) {
        set(scope, service, endpoint, signal, windowStart, windowEnd, value);
        this.count = count;
    }

    /** The key of the detector state: one seasonal model per (scope, service, endpoint, signal). */
    public String key() {
        return io.hawkeye.telemetry.SeriesKeys.join(scope, service, endpoint, signal);
    }

    /**
     * The signals of an on-time window. Ratios and tail percentiles of a window with fewer than
     * {@code minRequests} requests are mostly noise (one failed request of three is a 33 % error rate), so such
     * windows are a gap for {@code error_rate} and {@code p99_ms} — a gap never alerts. Late revisions
     * (revision &gt; 0) yield nothing: the detector already scored the on-time result and cannot go back.
     */
    public static List<SignalObservation> of(WindowStats w, long minRequests) {
        List<SignalObservation> out = new ArrayList<>(4);
        if (w.revision > 0 || w.count <= 0 || w.service == null) return out;
        String endpoint = w.endpoint == null ? WindowStats.ALL_ENDPOINTS : w.endpoint;
        String scope = w.scope == null ? WindowStats.SCOPE_ENDPOINT : w.scope;
        out.add(new SignalObservation(scope, w.service, endpoint, Signals.RPS, w.windowStart, w.windowEnd, w.rps,
                w.count));
        out.add(new SignalObservation(scope, w.service, endpoint, Signals.P50_MS, w.windowStart, w.windowEnd,
                w.p50Ms, w.count));
        if (w.count >= minRequests) {
            out.add(new SignalObservation(scope, w.service, endpoint, Signals.P99_MS, w.windowStart, w.windowEnd,
                    w.p99Ms, w.count));
            out.add(new SignalObservation(scope, w.service, endpoint, Signals.ERROR_RATE, w.windowStart, w.windowEnd,
                    w.errorRate, w.count));
        }
        return out;
    }

    /**
     * The gap signals of one call edge's window (scope {@code edge}, service = caller, endpoint = callee): the
     * median always, the p99 from {@code minRequests} paired calls on, as for request windows.
     */
    public static List<SignalObservation> of(CallEdgeStats e, long minRequests) {
        List<SignalObservation> out = new ArrayList<>(2);
        if (e.matched <= 0 || e.caller == null || e.callee == null) return out;
        out.add(new SignalObservation(SCOPE_EDGE, e.caller, e.callee, Signals.GAP_P50_MS, e.windowStart,
                e.windowEnd, e.gapP50Ms, e.matched));
        if (e.matched >= minRequests) {
            out.add(new SignalObservation(SCOPE_EDGE, e.caller, e.callee, Signals.GAP_P99_MS, e.windowStart,
                    e.windowEnd, e.gapP99Ms, e.matched));
        }
        return out;
    }

    /** The metric's window mean, or null for a late revision or an empty window. */
    public static SignalObservation of(MetricStats m) {
        if (m.revision > 0 || m.count <= 0 || m.service == null || m.name == null) return null;
        SignalObservation o = new SignalObservation(SCOPE_METRIC, m.service, WindowStats.ALL_ENDPOINTS, m.name,
                m.windowStart, m.windowEnd, m.mean, m.count);
        o.unit = m.unit;
        return o;
    }

    @Override
    public String toString() {
        return key() + "@" + windowStart + "=" + value;
    }
}
