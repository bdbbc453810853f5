package io.hawkeye.rca;

import java.time.Instant;
import java.util.ArrayList;
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
 * {@code rca} CLI (anomalies from time series, {@link AnomalyScorer}) and the streaming incident correlation
 * (anomalies from alert scores). Method, formulas and weights: docs/rca.md. Deterministic: ties are broken by
 * the raw anomaly strength, then by service name.
 *
 * <p>Components, each in [0, 1], with {@code Â} = anomaly strength ÷ the largest strength in the graph and
 * {@code Û} the same for the upstream-propagating signals only:
 * <ul>
 *   <li>local: {@code Â(s) · (1 − max_callee Û(c)) · (0.5 + 0.5·max_caller Â(p))}: a service whose callees are
 *       healthy, and whose callers are anomalous (the blast-radius pattern), is a stronger candidate; without
 *       callers the last factor is 0.75 (no evidence either way);
 *   <li>PageRank: personalised PageRank on the graph (teleport ∝ Â), walking from a caller to a callee with
 *       weight {@code Û(callee)·(0.5 + 0.5·corr⁺)}, back to a caller with {@code 0.1·Â(caller)·(…)}, and
 *       staying with weight {@code max(0, Â(s) − max_callee Û(c))} (MicroRCA / CloudRanger style); divided by
 *       the largest value;
 *   <li>anomaly: {@code Â(s)};
 *   <li>correlation: {@code Â(s) · max(0, pearson(z_s, z_symptom))} over the timestamps both have (0.5·Â when
 *       unknown), where {@code z} is the per-timestamp anomaly series and the symptom is {@code --symptom}, else
 *       the most anomalous entry service (no callers), else the most anomalous service;
 *   <li>onset: {@code Â(s) · (1 − (t_s − t_first)/(t_last − t_first))} for services with a detected change
 *       point, 0 otherwise.
 * </ul>
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
        Set<String> services = new TreeSet<>(graph.services());
        services.addAll(normal.services());
        services.addAll(abnormal.services());
        return rank(graph, AnomalyScorer.score(services, normal, abnormal), symptom);
    }

    /**
     * Ranks the union of the graph's services and {@code anomalies}' keys; a service without an entry has no
     * data (score 0).
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

        // Symptom: given, else the most anomalous entry service, else the most anomalous service.
        int sym = symptom != null && index.containsKey(symptom) ? index.get(symptom) : -1;
        if (sym < 0) sym = argmax(a, i -> graph.callers(names.get(i)).isEmpty());
        if (sym < 0) sym = argmax(a, i -> true);

        double[] local = new double[n], maxCallee = new double[n], maxCaller = new double[n];
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
            for (String p : callers) {
                int j = index.get(p);
                maxCaller[i] = Math.max(maxCaller[i], a[j]);
                if (a[j] > 0) anomalousCallers[i]++;
            }
            double blast = callers.isEmpty() ? 0.75 : 0.5 + 0.5 * maxCaller[i];
            local[i] = a[i] * Math.max(0, 1 - maxCallee[i]) * blast;
        }

        double[] corrToSym = new double[n];
        double[] corrComp = new double[n];
        for (int i = 0; i < n; i++) {
            corrToSym[i] = sym < 0 ? Double.NaN : i == sym ? 1.0 : correlation(an[i].series(), an[sym].series());
            corrComp[i] = a[i] * (Double.isNaN(corrToSym[i]) ? 0.5 : Math.max(0, corrToSym[i]));
        }

        double[] pr = pageRank(graph, names, index, an, a, u, maxCallee);

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

        double total = weights.total();
        List<RankedCause> out = new ArrayList<>(n);
        Integer[] order = new Integer[n];
        double[] score = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            score[i] = (weights.local() * local[i] + weights.pageRank() * pr[i] + weights.anomaly() * a[i]
                    + weights.correlation() * corrComp[i] + weights.onset() * onset[i]) / total;
        }
        java.util.Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -score[i])
                .thenComparingDouble(i -> -an[i].strength())
                .thenComparing(names::get));
        for (int r = 0; r < n; r++) {
            int i = order[r];
            String why = explain(graph, names.get(i), an[i], a[i], maxCallee[i], worstCallee[i],
                    anomalousCallers[i], pr[i], sym >= 0 ? names.get(sym) : null, corrToSym[i], i == sym);
            out.add(new RankedCause(r + 1, names.get(i), score[i], a[i], local[i], pr[i], corrToSym[i], onset[i],
                    why));
        }
        return out;
    }

    private double[] pageRank(ServiceGraph graph, List<String> names, Map<String, Integer> index,
            ServiceAnomaly[] an, double[] a, double[] u, double[] maxCallee) {
        int n = names.size();
        double[] pr = new double[n];
        if (n == 0) return pr;
        double sumA = 0;
        for (double x : a) sumA += x;
        double[] teleport = new double[n];
        for (int i = 0; i < n; i++) teleport[i] = sumA > 0 ? a[i] / sumA : 1.0 / n;
        int[][] to = new int[n][];
        double[][] w = new double[n][];
        for (int i = 0; i < n; i++) {
            String s = names.get(i);
            List<Integer> targets = new ArrayList<>();
            List<Double> weightsList = new ArrayList<>();
            for (String c : graph.callees(s)) {
                int j = index.get(c);
                targets.add(j);
                weightsList.add(u[j] * edgeFactor(an[i], an[j]));
            }
            for (String p : graph.callers(s)) {
                int j = index.get(p);
                targets.add(j);
                weightsList.add(weights.backward() * a[j] * edgeFactor(an[i], an[j]));
            }
            targets.add(i);
            weightsList.add(Math.max(0, a[i] - maxCallee[i]));
            double sum = 0;
            for (double x : weightsList) sum += x;
            to[i] = new int[targets.size()];
            w[i] = new double[targets.size()];
            for (int k = 0; k < targets.size(); k++) {
                to[i][k] = targets.get(k);
                w[i][k] = sum > 0 ? weightsList.get(k) / sum : 0;
            }
            if (sum <= 0) w[i] = null; // dangling: its mass teleports
        }
        double alpha = weights.damping();
        java.util.Arrays.fill(pr, 1.0 / n);
        for (int iter = 0; iter < 200; iter++) {
            double[] next = new double[n];
            double dangling = 0;
            for (int i = 0; i < n; i++) {
                if (w[i] == null) {
                    dangling += pr[i];
                    continue;
                }
                for (int k = 0; k < to[i].length; k++) next[to[i][k]] += alpha * pr[i] * w[i][k];
            }
            double diff = 0;
            for (int i = 0; i < n; i++) {
                next[i] += (1 - alpha) * teleport[i] + alpha * dangling * teleport[i];
                diff += Math.abs(next[i] - pr[i]);
            }
            pr = next;
            if (diff < 1e-12) break;
        }
        double max = 0;
        for (double x : pr) max = Math.max(max, x);
        // With no anomaly anywhere the walk carries no information.
        for (int i = 0; i < n; i++) pr[i] = max > 0 && sumA > 0 ? pr[i] / max : 0;
        return pr;
    }

    /** 0.5 + 0.5·max(0, corr) of the two anomaly series; 1 when unknown. */
    private static double edgeFactor(ServiceAnomaly x, ServiceAnomaly y) {
        double c = correlation(x.series(), y.series());
        return Double.isNaN(c) ? 1.0 : 0.5 + 0.5 * Math.max(0, c);
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
        return Robust.pearson(java.util.Arrays.copyOf(xs, k), java.util.Arrays.copyOf(ys, k));
    }

    private static int argmax(double[] v, java.util.function.IntPredicate eligible) {
        int best = -1;
        for (int i = 0; i < v.length; i++) {
            if (v[i] > 0 && eligible.test(i) && (best < 0 || v[i] > v[best])) best = i;
        }
        return best;
    }

    private static String explain(ServiceGraph graph, String service, ServiceAnomaly x, double a, double maxCallee,
            String worstCallee, int anomalousCallers, double pr, String symptom, double corr, boolean isSymptom) {
        if (!x.hasData()) return "no data";
        if (a <= 0) return "normal: no signal departs from the normal period beyond 3 sigma";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "anomaly %.2f", a));
        if (x.topSignal() != null) {
            sb.append(" (").append(x.topSignal());
            if (Double.isFinite(x.topZ())) sb.append(String.format(Locale.ROOT, " z=%+.1f", x.topZ()));
            sb.append(')');
        }
        int callees = graph.callees(service).size();
        if (callees == 0) {
            sb.append("; no callees");
        } else if (maxCallee >= 0.5) {
            sb.append(String.format(Locale.ROOT, "; likely a symptom of callee %s (%.2f)", worstCallee, maxCallee));
        } else {
            sb.append(String.format(Locale.ROOT, "; callees healthy (max %.2f)", maxCallee));
        }
        int callers = graph.callers(service).size();
        if (callers > 0) {
            sb.append("; ").append(anomalousCallers).append('/').append(callers).append(" callers anomalous");
        }
        sb.append(String.format(Locale.ROOT, "; pagerank %.2f", pr));
        if (isSymptom) {
            sb.append("; symptom");
        } else if (symptom != null && Double.isFinite(corr)) {
            sb.append(String.format(Locale.ROOT, "; corr with %s %.2f", symptom, corr));
        }
        if (x.hasOnset()) sb.append("; onset ").append(Instant.ofEpochMilli(x.onsetMillis()));
        return sb.toString();
    }
}
