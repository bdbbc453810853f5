package io.hawkeye.benchmarks;

import io.hawkeye.rca.EdgeData;
import io.hawkeye.rca.RankedCause;
import io.hawkeye.rca.RootCauseRanker;
import io.hawkeye.rca.ServiceGraph;
import io.hawkeye.rca.SignalData;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of one batch root-cause ranking ({@code ./hawkeye rca}, one {@code rca-eval} case): evidence from the series
 * ({@code AnomalyScorer}) plus the ranking, on a random call graph shaped like Train-Ticket's (each service calls
 * two others further down: {@code services} services, about 2 × services edges), six signals per service with 20
 * normal and 8 abnormal minutes, and — for {@code withEdges} — seven per-edge signals with 10 normal and 6 abnormal
 * minutes; one injected network delay. Single thread, average time per ranking.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RcaBenchmark {
    @Param({"28", "300"})
    public int services;

    ServiceGraph graph;
    SignalData normal, abnormal;
    EdgeData normalEdges, abnormalEdges;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        graph = new ServiceGraph();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < services; i++) names.add("svc-" + i);
        for (int i = 0; i < services; i++) {
            graph.addService(names.get(i));
            for (int k = 0; k < 2 && i + 1 < services; k++) {
                graph.addEdge(names.get(i), names.get(i + 1 + rnd.nextInt(services - i - 1)));
            }
        }
        // The faulty service: the first from a third of the way down with at least two callers (in a random graph
        // of 300 a given service has no caller at all with probability ~0.4, and a delay into it would show nowhere).
        java.util.Map<String, Integer> callers = new java.util.HashMap<>();
        for (String[] e : graph.edges()) callers.merge(e[1], 1, Integer::sum);
        String faulty = null;
        for (int i = services / 3; i < services && faulty == null; i++) {
            if (callers.getOrDefault(names.get(i), 0) >= 2) faulty = names.get(i);
        }
        if (faulty == null) throw new IllegalStateException("no service with two callers");
        normal = new SignalData();
        abnormal = new SignalData();
        String[] signals = {"cpu_utilization", "memory_utilization", "latency_p90", "latency_p99", "rps",
            "client_latency_p99"};
        double[] base = {0.05, 0.3, 20, 60, 2, 40};
        for (String s : names) {
            for (int m = 0; m < 28; m++) {
                SignalData d = m < 20 ? normal : abnormal;
                for (int k = 0; k < signals.length; k++) {
                    double noise = k < 2 ? 0.01 * rnd.nextDouble() : base[k] * 0.2 * rnd.nextDouble();
                    d.add(m * 60_000L, s, signals[k], base[k] + noise);
                }
            }
        }
        normalEdges = new EdgeData();
        abnormalEdges = new EdgeData();
        String[] edgeSignals = {"calls", "client_latency_p50", "client_latency_p99", "server_latency_p50",
            "server_latency_p99", "gap_p50", "gap_p99"};
        double[] edgeBase = {30, 12, 40, 10, 35, 2, 5};
        for (String[] e : graph.edges()) {
            for (int m = 10; m < 26; m++) {
                EdgeData d = m < 20 ? normalEdges : abnormalEdges;
                boolean delayed = m >= 20 && e[1].equals(faulty);
                for (int k = 0; k < edgeSignals.length; k++) {
                    double v = edgeBase[k] * (1 + 0.2 * rnd.nextDouble());
                    if (delayed && (k == 1 || k == 2 || k >= 5)) v += 1000;
                    d.add(m * 60_000L, e[0], e[1], edgeSignals[k], v);
                }
            }
        }
        List<RankedCause> r = rankWithEdges();
        if (!r.get(0).service().equals(faulty)) {
            throw new IllegalStateException("benchmark case ranks " + r.get(0).service() + ", not " + faulty);
        }
    }

    @Benchmark
    public List<RankedCause> rankWithEdges() {
        return new RootCauseRanker().rank(graph, normal, abnormal, normalEdges, abnormalEdges, null);
    }

    @Benchmark
    public List<RankedCause> rankServicesOnly() {
        return new RootCauseRanker().rank(graph, normal, abnormal, null);
    }
}
