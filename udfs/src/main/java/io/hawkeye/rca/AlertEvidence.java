package io.hawkeye.rca;

import io.hawkeye.alerts.Alert;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
        return fromAlerts(alerts, new ServiceGraph());
    }

    /**
     * As {@link #fromAlerts(Collection)}, with the alerts on call edges' gaps ({@link #isEdgeGap}: time spent
     * outside the callee, per edge caller → callee) attributed over {@code graph} as the {@code rca} CLI attributes
     * the gap statistics of its edge files (docs/rca.md, "Edges"): to a service, the median over the edges into it
     * (every caller of a service that is slow to reach sees it; a lone edge's alert counts for the service it
     * fronts), or the median over the edges it makes when it calls at least two services (a caller slow to send or
     * read on every call). Edges without an alert count 0, so one slow edge between two healthy ends is nobody's.
     * An attributed gap is the service's {@link ServiceAnomaly#local local} strength: its callees cannot explain it.
     */
    public static Map<String, ServiceAnomaly> fromAlerts(Collection<Alert> alerts, ServiceGraph graph) {
        Map<String, double[]> acc = new TreeMap<>();   // strength, upstream, onset, local
        Map<String, String> top = new TreeMap<>();
        Map<String, String> evidence = new TreeMap<>();
        Map<List<String>, double[]> gaps = new java.util.HashMap<>();   // (caller, callee) -> score, onset
        for (Alert a : alerts) {
            if (a.service == null) continue;
            double score = Double.isFinite(a.score) ? Math.max(0, Math.min(1, a.score)) : 0;
            // A firing alert with no score is still evidence; give it the weakest non-zero strength.
            if (score == 0) score = 1e-3;
            if (isEdgeGap(a)) {
                double[] g = gaps.computeIfAbsent(List.of(a.service, a.endpoint),
                        k -> new double[] {0, Double.MAX_VALUE});
                g[0] = Math.max(g[0], score);
                g[1] = Math.min(g[1], a.startsAt);
                continue;
            }
            double[] x = slot(acc, a.service);
            if (score > x[0]) {
                x[0] = score;
                top.put(a.service, effectiveSignal(a));
            }
            String signal = effectiveSignal(a);
            if (signal == null || SignalKind.of(signal).propagatesUpstream) x[1] = Math.max(x[1], score);
            x[2] = Math.min(x[2], a.startsAt);
        }
        Set<String> ends = new TreeSet<>();
        for (List<String> e : gaps.keySet()) ends.addAll(e);
        for (String s : ends) {
            Set<String> callers = new TreeSet<>(graph.callers(s)), callees = new TreeSet<>(graph.callees(s));
            for (List<String> e : gaps.keySet()) {
                if (e.get(1).equals(s)) callers.add(e.get(0));
                if (e.get(0).equals(s)) callees.add(e.get(1));
            }
            double[] into = median(callers, p -> gaps.get(List.of(p, s)));
            double[] out = callees.size() >= 2 ? median(callees, c -> gaps.get(List.of(s, c))) : null;
            double[] m = out != null && out[0] > into[0] ? out : into;
            if (m[0] <= 0) continue;
            double[] x = slot(acc, s);
            x[3] = m[0];
            x[1] = Math.max(x[1], m[0]);   // time outside a callee slows its callers: it propagates upstream
            x[2] = Math.min(x[2], m[1]);
            if (m[0] > x[0]) {
                x[0] = m[0];
                top.put(s, GAP_SIGNAL);
            }
            evidence.put(s, String.format(java.util.Locale.ROOT, m == out
                    ? "time outside its callees on its calls to %d of %d services (gap alerts, median %.2f): slow"
                            + " to send or read (CPU, client pool, its own network)"
                    : "time outside it on the calls of %d of %d callers (gap alerts, median %.2f): the way to it"
                            + " (network, proxy, connection pool)",
                    (int) m[2], (int) m[3], m[0]));
        }
        Map<String, ServiceAnomaly> result = new TreeMap<>();
        acc.forEach((s, x) -> result.put(s, new ServiceAnomaly(s, x[0], Math.min(x[0], x[1]), top.get(s),
                Double.NaN, (long) x[2], new TreeMap<>(), true, Double.NaN, evidence.get(s), x[3])));
        return result;
    }

    /** An alert on the gap (client − server time) of one call edge: scope {@code edge}, service = caller. */
    public static boolean isEdgeGap(Alert a) {
        return a.labels != null && EDGE_SCOPE.equals(a.labels.get("scope")) && a.signal != null
                && a.signal.startsWith("gap") && a.endpoint != null;
    }

    /** The scope of the call-edge series (service = caller, endpoint = callee). */
    public static final String EDGE_SCOPE = "edge";
    private static final String GAP_SIGNAL = "gap";

    private static double[] slot(Map<String, double[]> acc, String s) {
        return acc.computeIfAbsent(s, k -> new double[] {0, 0, Double.MAX_VALUE, 0});
    }

    /**
     * The lower median of the edges' gap scores (0 for an edge without an alert): {score, onset of that edge,
     * edges with an alert, edges}.
     */
    private static double[] median(Set<String> others, java.util.function.Function<String, double[]> gap) {
        List<double[]> v = new ArrayList<>();
        int alerting = 0;
        for (String o : others) {
            double[] g = gap.apply(o);
            if (g != null) alerting++;
            v.add(g != null ? g : new double[] {0, Double.MAX_VALUE});
        }
        if (v.isEmpty()) return new double[] {0, Double.MAX_VALUE, 0, 0};
        v.sort(java.util.Comparator.comparingDouble(g -> g[0]));
        double[] m = v.get((v.size() - 1) / 2);
        return new double[] {m[0], m[1], alerting, v.size()};
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
