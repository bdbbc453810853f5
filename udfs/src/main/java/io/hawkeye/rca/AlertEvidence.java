package io.hawkeye.rca;

import io.hawkeye.alerts.Alert;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the alerts of an incident into the ranker's per-service anomalies, so that the streaming correlation
 * ranks with the same {@link RootCauseRanker} as the {@code rca} CLI. Per service: strength = the largest alert
 * score (scores are in [0, 1]); upstream strength = the largest score among alerts whose signal propagates to
 * callers ({@link SignalKind#propagatesUpstream}); onset = the earliest {@code startsAt}; top signal = the signal
 * of the strongest alert. Resolved alerts count too: an incident is ranked on everything that happened in it.
 */
public final class AlertEvidence {
    private AlertEvidence() {}

    public static Map<String, ServiceAnomaly> fromAlerts(Collection<Alert> alerts) {
        Map<String, double[]> acc = new TreeMap<>();   // strength, upstream, onset
        Map<String, String> top = new TreeMap<>();
        for (Alert a : alerts) {
            if (a.service == null) continue;
            double score = Double.isFinite(a.score) ? Math.max(0, Math.min(1, a.score)) : 0;
            // A firing alert with no score is still evidence; give it the weakest non-zero strength.
            if (score == 0) score = 1e-3;
            double[] x = acc.computeIfAbsent(a.service, k -> new double[] {0, 0, Double.MAX_VALUE});
            if (score > x[0]) {
                x[0] = score;
                top.put(a.service, effectiveSignal(a));
            }
            String signal = effectiveSignal(a);
            if (signal == null || SignalKind.of(signal).propagatesUpstream) x[1] = Math.max(x[1], score);
            x[2] = Math.min(x[2], a.startsAt);
        }
        Map<String, ServiceAnomaly> out = new TreeMap<>();
        acc.forEach((s, x) -> out.put(s, ServiceAnomaly.of(s, x[0], x[1], top.get(s), (long) x[2])));
        return out;
    }

    /**
     * The signal that says which way the alert's anomaly propagates: its own, or — for an alert over several
     * signals (a multivariate detector's, signal {@code multivariate}, kind {@link SignalKind#OTHER}) — the
     * feature with the largest share of its attribution. A callee whose multivariate alert is mostly a traffic
     * change (fewer requests because its caller fails) then does not explain its caller's anomaly.
     */
    public static String effectiveSignal(Alert a) {
        if (a.attribution == null || a.attribution.isEmpty()) return a.signal;
        if (a.signal != null && SignalKind.of(a.signal) != SignalKind.OTHER) return a.signal;
        io.hawkeye.alerts.Attribution best = null;
        for (io.hawkeye.alerts.Attribution x : a.attribution) {
            if (x.feature != null && (best == null || x.contribution > best.contribution)) best = x;
        }
        return best == null ? a.signal : best.feature;
    }
}
