package io.hawkeye.rca;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RootCauseRankerTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final int NORMAL = 60, ABNORMAL = 20;
    private static final long STEP = 60_000;

    /** A normal and an abnormal period of the same services, their values drawn from one seeded source. */
    private static final class Periods {
        final SignalData normal = new SignalData();
        final SignalData abnormal = new SignalData();
        final Random rnd;

        Periods(long seed) {
            rnd = new Random(seed);
        }

        /** Normal period then abnormal period; {@code shift} is added in the abnormal period from {@code from} on. */
        void series(String service, String signal, double mean, double sd, double shift, int from) {
            for (int i = 0; i < NORMAL; i++) {
                normal.add(T0 + i * STEP, service, signal, mean + sd * rnd.nextGaussian());
            }
            for (int i = 0; i < ABNORMAL; i++) {
                double v = mean + sd * rnd.nextGaussian() + (i >= from ? shift : 0);
                abnormal.add(T0 + (NORMAL + i) * STEP, service, signal, v);
            }
        }

        List<RankedCause> rank(ServiceGraph g, String symptom) {
            return new RootCauseRanker().rank(g, normal, abnormal, symptom);
        }
    }

    @Test
    void chainFaultAtLeafRanksLeafFirstThoughCallersAreMoreAnomalous() {
        ServiceGraph g = ServiceGraph.ofEdges("A", "B", "B", "C");
        Periods p = new Periods(1);
        // C's latency +20 ms with noise 1 (z≈20); B and A inherit the 20 ms but have less noise (larger z).
        p.series("C", "latency_mean", 10, 1.0, 20, 5);
        p.series("B", "latency_mean", 20, 0.7, 20, 5);
        p.series("A", "latency_mean", 30, 0.5, 20, 5);
        for (String s : List.of("A", "B", "C")) p.series(s, "rps", 100, 3, 0, 0);
        List<RankedCause> r = p.rank(g, null);
        assertThat(r).extracting(RankedCause::service).containsExactly("C", "B", "A");
        assertThat(r.get(0).anomaly()).isLessThan(1.0); // not the most anomalous, still ranked first
        assertThat(r.get(0).explanation()).contains("latency_mean").contains("no callees");
        assertThat(r.get(2).explanation()).contains("likely a symptom of callee B");
    }

    @Test
    void fanInRanksSharedDatabaseFirst() {
        ServiceGraph g = ServiceGraph.ofEdges("web", "orders", "web", "users", "web", "catalog",
                "orders", "db", "users", "db", "catalog", "db", "catalog", "cache");
        Periods p = new Periods(2);
        p.series("db", "latency_p99", 5, 0.5, 15, 3);
        p.series("orders", "latency_p99", 20, 1, 30, 3);
        p.series("users", "latency_p99", 15, 1, 30, 3);
        p.series("catalog", "latency_p99", 25, 1, 15, 3);
        p.series("web", "latency_p99", 60, 2, 40, 3);
        p.series("cache", "latency_p99", 1, 0.1, 0, 0);
        for (String s : List.of("web", "orders", "users", "catalog", "db", "cache")) {
            p.series(s, "error_rate", 0.001, 0.0005, 0, 0);
        }
        List<RankedCause> r = p.rank(g, "web");
        assertThat(r.get(0).service()).isEqualTo("db");
        assertThat(r.get(r.size() - 1).service()).isEqualTo("cache");
    }

    @Test
    void leafFaultOutranksNoisyUnrelatedService() {
        ServiceGraph g = ServiceGraph.ofEdges("A", "B", "B", "C", "A", "N");
        Periods p = new Periods(3);
        p.series("C", "error_rate", 0.01, 0.002, 0.2, 8);
        p.series("B", "error_rate", 0.01, 0.002, 0.18, 8);
        p.series("A", "error_rate", 0.01, 0.002, 0.16, 8);
        // N is unrelated: its CPU wanders (a moderate level shift from the start of the window).
        p.series("N", "cpu_utilization", 0.3, 0.02, 0.2, 0);
        p.series("N", "error_rate", 0.01, 0.002, 0, 0);
        List<RankedCause> r = p.rank(g, "A");
        assertThat(r.get(0).service()).isEqualTo("C");
        assertThat(r.indexOf(find(r, "C"))).isLessThan(r.indexOf(find(r, "N")));
    }

    @Test
    void missingSignalsAndServicesWithoutDataAreTolerated() {
        ServiceGraph g = ServiceGraph.ofEdges("A", "B", "B", "C", "B", "D");
        Periods p = new Periods(4);
        p.series("C", "latency_mean", 10, 1, 25, 2);
        p.series("B", "latency_mean", 20, 1, 25, 2);
        p.series("A", "rps", 50, 2, 0, 0);          // A has only rps, no latency
        // Gaps and NaNs in B and C.
        for (int i = 0; i < ABNORMAL; i += 3) {
            p.abnormal.add(T0 + (NORMAL + i) * STEP, "C", "latency_mean", Double.NaN);
        }
        p.abnormal.add(T0, "C", "cpu", Double.NaN);                  // a signal with no values at all
        List<RankedCause> r = p.rank(g, null);
        assertThat(r).hasSize(4);
        assertThat(r.get(0).service()).isEqualTo("C");
        RankedCause d = find(r, "D");
        assertThat(d.score()).isZero();
        assertThat(d.explanation()).isEqualTo("no data");
        assertThat(find(r, "A").explanation()).startsWith("normal");
    }

    @Test
    void nothingAnomalousGivesZeroScoresAndNameOrder() {
        ServiceGraph g = ServiceGraph.ofEdges("b", "a");
        Periods p = new Periods(5);
        p.series("a", "latency_mean", 10, 1, 0, 0);
        p.series("b", "latency_mean", 10, 1, 0, 0);
        List<RankedCause> r = p.rank(g, null);
        assertThat(r).extracting(RankedCause::service).containsExactly("a", "b");
        assertThat(r).allSatisfy(c -> assertThat(c.score()).isZero());
    }

    @Test
    void earlierOnsetWinsBetweenOtherwiseSimilarServices() {
        ServiceGraph g = ServiceGraph.ofEdges("F", "X", "F", "Y");
        Periods p = new Periods(6);
        p.series("X", "latency_mean", 10, 1, 20, 4);
        p.series("Y", "latency_mean", 10, 1, 20, 10);
        p.series("F", "latency_mean", 30, 1, 0, 0);
        List<RankedCause> r = p.rank(g, null);
        assertThat(r.get(0).service()).isEqualTo("X");
        assertThat(find(r, "X").onset()).isGreaterThan(find(r, "Y").onset());
    }

    @Test
    void rankingFromAlertStrengthsWithoutSeries() {
        ServiceGraph g = ServiceGraph.ofEdges("fe", "api", "api", "db", "fe", "auth");
        Map<String, ServiceAnomaly> m = Map.of(
                "fe", ServiceAnomaly.of("fe", 0.9, 0.9, "latency_p99", T0 + 120_000),
                "api", ServiceAnomaly.of("api", 0.95, 0.95, "latency_p99", T0 + 60_000),
                "db", ServiceAnomaly.of("db", 0.8, 0.8, "latency_p99", T0));
        List<RankedCause> r = new RootCauseRanker().rank(g, m, null);
        assertThat(r.get(0).service()).isEqualTo("db");
        assertThat(find(r, "auth").explanation()).isEqualTo("no data");
    }

    @Test
    void signalKinds() {
        assertThat(SignalKind.of("latency_p99")).isEqualTo(SignalKind.LATENCY);
        assertThat(SignalKind.of("error_rate")).isEqualTo(SignalKind.ERRORS);
        assertThat(SignalKind.of("rps")).isEqualTo(SignalKind.TRAFFIC);
        assertThat(SignalKind.of("cpu_utilization")).isEqualTo(SignalKind.OTHER);
        assertThat(SignalKind.of("mem_usage")).isEqualTo(SignalKind.OTHER);
    }

    private static RankedCause find(List<RankedCause> r, String s) {
        return r.stream().filter(c -> c.service().equals(s)).findFirst().orElseThrow();
    }
}
