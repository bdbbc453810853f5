package io.hawkeye.rca;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeSet;

/**
 * Ranks every service of a dependency graph as the likely root cause of an anomaly. The same code serves the
 * {@code rca} CLI (evidence from time series and per-edge statistics, {@link AnomalyScorer}) and the streaming
 * incident correlation (evidence from alert scores, {@link AlertEvidence}). Method, formulas and weights:
 * docs/rca.md. Deterministic: ties are broken by the raw anomaly strength, then by service name.
 *
 * <p>Components, each in [0, 1], with {@code Â} = anomaly strength ÷ the largest strength in the graph:
 * <ul>
 *   <li>evidence: the unexplained strength {@code Ê} (what the service's callees and callers do not explain; from
 *       the scorer, or for alert evidence {@code max(Û(s)·(1 − max_callee Û(c)), Â(s)·(1 − max_caller Â(p)))},
 *       the second only when the strength is a traffic change, {@code Â > Û}) × {@code (0.5 + 0.5·max_caller
 *       Â(p))}: a cause's callers are its blast radius; without callers the last factor is 0.75;
 *   <li>anomaly: {@code Â(s)}, the size of the service's whole change (breaks near-ties);
 *   <li>correlation (only when the symptom is given): {@code Â(s) · max(0, pearson(z_s, z_symptom))} over the
 *       timestamps both have (0.5·Â when unknown);
 *   <li>onset: {@code Â(s) · (1 − (t_s − t_first)/(t_last − t_first))} for services with a detected change
 *       point, 0 otherwise.
 * </ul>
 * The score is their weighted mean ({@link RcaWeights}); without a symptom the correlation weight drops out.
 */
public final class RootCauseRanker {
    private final RcaWeights weights;

    public RootCauseRanker() {
        this(RcaWeights.defaults());
    }

    public RootCauseRanker(RcaWeights weights) {
        this.weights = weights;
    }

    /** Scores the periods with {@link AnomalyScorer}, then ranks. Services only in the data are ranked too. */
    public List<RankedCause> rank(ServiceGraph graph, SignalData normal, SignalData abnormal, String symptom) {
        return rank(graph, normal, abnormal, EdgeData.none(), EdgeData.none(), symptom);
    }

    /**
     * As {@link #rank(ServiceGraph, SignalData, SignalData, String)}, with per-call-edge statistics of both periods
     * (client and server latency of the same calls, and their gap): explain-away then uses the caller's own view of
     * each call, and time spent outside a callee counts against the edge it fronts.
     */
    public List<RankedCause> rank(ServiceGraph graph, SignalData normal, SignalData abnormal, EdgeData normalEdges,
            EdgeData abnormalEdges, String symptom) {
        Set<String> services = new TreeSet<>(graph.services());
        services.addAll(normal.services());
        services.addAll(abnormal.services());
        for (EdgeData.Edge e : abnormalEdges.edges()) {
            services.add(e.caller());
            services.add(e.callee());
        }
        return rank(graph, AnomalyScorer.score(graph, services, normal, abnormal, normalEdges, abnormalEdges),
                symptom);
    }

    /**
     * Ranks the union of the graph's services and {@code anomalies}' keys; a service without an entry has no
     * data (score 0). {@code symptom}: where the problem was observed, or null.
     */
    public List<RankedCause> rank(ServiceGraph graph, Map<String, ServiceAnomaly> anomalies, String symptom) {
        TreeSet<String> set = new TreeSet<>(graph.services());
        set.addAll(anomalies.keySet());
        List<String> names = new ArrayList<>(set);
        int n = names.size();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) index.put(names.get(i), i);
        ServiceAnomaly[] an = new ServiceAnomaly[n];
        double maxA = 0;
        for (int i = 0; i < n; i++) {
            ServiceAnomaly a = anomalies.get(names.get(i));
            an[i] = a != null ? a : ServiceAnomaly.noData(names.get(i));
            maxA = Math.max(maxA, an[i].strength());
        }
        double[] a = new double[n], u = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = maxA > 0 ? an[i].strength() / maxA : 0;
            u[i] = maxA > 0 ? Math.min(an[i].upstream(), an[i].strength()) / maxA : 0;
        }
        int sym = symptom != null && index.containsKey(symptom) ? index.get(symptom) : -1;

        double[] evidence = new double[n], unexplained = new double[n], maxCallee = new double[n];
        String[] worstCallee = new String[n];
        int[] anomalousCallers = new int[n];
        for (int i = 0; i < n; i++) {
            for (String c : graph.callees(names.get(i))) {
                int j = index.get(c);
                if (u[j] > maxCallee[i]) {
                    maxCallee[i] = u[j];
                    worstCallee[i] = c;
                }
            }
            Set<String> callers = graph.callers(names.get(i));
            double maxCaller = 0;
            for (String p : callers) {
                int j = index.get(p);
                maxCaller = Math.max(maxCaller, a[j]);
                if (a[j] > 0) anomalousCallers[i]++;
            }
            double blast = callers.isEmpty() ? 0.75 : 0.5 + 0.5 * maxCaller;
            // Explain-away: from the scorer when it had series (it compares like with like, per signal); from
            // alert strengths, the latency/error/resource part that the most anomalous callee does not cover, or
            // the traffic part (strength above the upstream part) that no anomalous caller accounts for.
            // Time outside the service on its edges (alert evidence's local part) is unexplained by construction.
            if (Double.isNaN(an[i].unexplained())) {
                double up = u[i] * Math.max(0, 1 - maxCallee[i]);
                double traffic = a[i] > u[i] ? a[i] * Math.max(0, 1 - maxCaller) : 0;
                double local = maxA > 0 ? Math.min(an[i].local(), an[i].strength()) / maxA : 0;
                unexplained[i] = Math.max(Math.max(up, traffic), local);
            } else {
                unexplained[i] = maxA > 0 ? Math.min(an[i].unexplained(), an[i].strength()) / maxA : 0;
            }
            evidence[i] = unexplained[i] * blast;
        }

        double[] corrToSym = new double[n];
        double[] corrComp = new double[n];
        for (int i = 0; i < n; i++) {
            corrToSym[i] = sym < 0 ? Double.NaN : i == sym ? 1.0 : correlation(an[i].series(), an[sym].series());
            corrComp[i] = a[i] * (Double.isNaN(corrToSym[i]) ? 0.5 : Math.max(0, corrToSym[i]));
        }

        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        for (ServiceAnomaly x : an) {
            if (x.hasOnset() && x.strength() > 0) {
                first = Math.min(first, x.onsetMillis());
                last = Math.max(last, x.onsetMillis());
            }
        }
        double[] onset = new double[n];
        for (int i = 0; i < n; i++) {
            if (!an[i].hasOnset() || an[i].strength() <= 0) continue;
            double o = last == first ? 1 : 1 - (double) (an[i].onsetMillis() - first) / (last - first);
            onset[i] = a[i] * o;
        }

        double wCorr = sym >= 0 ? weights.correlation() : 0;
        double total = weights.evidence() + weights.anomaly() + wCorr + weights.onset();
        Integer[] order = new Integer[n];
        double[] score = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            score[i] = total <= 0 ? 0 : (weights.evidence() * evidence[i] + weights.anomaly() * a[i]
                    + wCorr * corrComp[i] + weights.onset() * onset[i]) / total;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -score[i])
                .thenComparingDouble(i -> -an[i].strength())
                .thenComparing(names::get));
        List<RankedCause> out = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            int i = order[r];
            String why = explain(graph, names.get(i), an[i], a[i], unexplained[i], maxCallee[i], worstCallee[i],
                    anomalousCallers[i], sym >= 0 ? names.get(sym) : null, corrToSym[i], i == sym);
            out.add(new RankedCause(r + 1, names.get(i), score[i], a[i], unexplained[i], corrToSym[i], onset[i],
                    why));
        }
        return out;
    }

    /** Pearson correlation over the common timestamps, NaN when fewer than 3 or constant. */
    static double correlation(NavigableMap<Long, Double> x, NavigableMap<Long, Double> y) {
        if (x.isEmpty() || y.isEmpty()) return Double.NaN;
        NavigableMap<Long, Double> small = x.size() <= y.size() ? x : y;
        NavigableMap<Long, Double> big = small == x ? y : x;
        double[] xs = new double[small.size()], ys = new double[small.size()];
        int k = 0;
        for (Map.Entry<Long, Double> e : small.entrySet()) {
            Double other = big.get(e.getKey());
            if (other == null) continue;
            xs[k] = e.getValue();
            ys[k] = other;
            k++;
        }
        return Robust.pearson(Arrays.copyOf(xs, k), Arrays.copyOf(ys, k));
    }

    private static String explain(ServiceGraph graph, String service, ServiceAnomaly x, double a, double unexplained,
            double maxCallee, String worstCallee, int anomalousCallers, String symptom, double corr,
            boolean isSymptom) {
        if (!x.hasData()) return "no data";
        if (a <= 0) return "normal: no signal departs from the normal period beyond 3 sigma";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "anomaly %.2f", a));
        if (x.evidence() != null) {
            sb.append(" (").append(x.evidence()).append(')');
        } else if (x.topSignal() != null) {
            sb.append(" (").append(x.topSignal());
            if (Double.isFinite(x.topZ())) sb.append(String.format(Locale.ROOT, " z=%+.1f", x.topZ()));
            sb.append(')');
        }
        sb.append(String.format(Locale.ROOT, "; unexplained %.2f", unexplained));
        int callees = graph.callees(service).size();
        if (callees == 0) {
            sb.append("; no callees");
        } else if (maxCallee >= 0.5 && unexplained < 0.5 * a) {
            sb.append(String.format(Locale.ROOT, "; likely a symptom of callee %s (%.2f)", worstCallee, maxCallee));
        } else {
            sb.append(String.format(Locale.ROOT, "; callees healthy (max %.2f)", maxCallee));
        }
        int callers = graph.callers(service).size();
        if (callers > 0) {
            sb.append("; ").append(anomalousCallers).append('/').append(callers).append(" callers anomalous");
        }
        if (isSymptom) {
            sb.append("; symptom");
        } else if (symptom != null && Double.isFinite(corr)) {
            sb.append(String.format(Locale.ROOT, "; corr with %s %.2f", symptom, corr));
        }
        if (x.hasOnset()) sb.append("; onset ").append(Instant.ofEpochMilli(x.onsetMillis()));
        return sb.toString();
    }
}
