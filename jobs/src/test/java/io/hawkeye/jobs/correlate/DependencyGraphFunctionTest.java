package io.hawkeye.jobs.correlate;

import static io.hawkeye.jobs.correlate.CorrelationTestData.MIN;
import static io.hawkeye.jobs.correlate.CorrelationTestData.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Graph learning: edge creation with rates, snapshots per window, expiry of learned edges, static edges. */
class DependencyGraphFunctionTest {
    static final CorrelationConfig CONFIG = CorrelationConfig.defaults(); // 1-minute windows, 1 h expiry

    static KeyedOneInputStreamOperatorTestHarness<Integer, EdgeStats, TopologyEdge> harness(CorrelationConfig c)
            throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new DependencyGraphFunction(c),
                new CorrelationWorkflow.Constant<>(), Types.INT);
        h.open();
        return h;
    }

    static EdgeStats counts(String caller, String callee, int window, long calls, long errors, double latSum) {
        EdgeStats s = new EdgeStats();
        s.caller = caller;
        s.callee = callee;
        s.windowStart = T0 + window * MIN;
        s.windowEnd = s.windowStart + MIN;
        s.calls = calls;
        s.errors = errors;
        s.latencySumMs = latSum;
        return s;
    }

    static void feed(KeyedOneInputStreamOperatorTestHarness<Integer, EdgeStats, TopologyEdge> h, EdgeStats s)
            throws Exception {
        h.processElement(s, s.windowEnd - 1);
    }

    static List<String> summary(List<TopologyEdge> edges) {
        return edges.stream().map(e -> e.documentId() + (e.active ? "" : " expired") + (e.staticEdge ? " static" : "")
                + " " + e.callsPerS + "/s").toList();
    }

    @Test
    void createsEdgesWithRatesAndPublishesASnapshotPerWindow() throws Exception {
        try (var h = harness(CONFIG)) {
            feed(h, counts("frontend", "checkout", 0, 120, 6, 120 * 25.0));
            feed(h, counts("checkout", "db", 0, 60, 0, 60 * 4.0));
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark(T0 + MIN - 1);
            List<TopologyEdge> out = h.extractOutputValues();
            assertThat(summary(out)).containsExactly("checkout|db 1.0/s", "frontend|checkout 2.0/s");
            TopologyEdge fc = out.get(1);
            assertThat(fc.errorRate).isEqualTo(0.05);
            assertThat(fc.meanLatencyMs).isEqualTo(25.0);
            assertThat(fc.lastSeen).isEqualTo(T0 + MIN);
            assertThat(fc.updatedAt).isEqualTo(T0 + MIN);
            assertThat(fc.staticEdge).isFalse();
            // An older window arriving late does not overwrite the newer statistics.
            feed(h, counts("frontend", "checkout", 1, 60, 0, 60 * 10.0));
            feed(h, counts("frontend", "checkout", 0, 999, 0, 0));
            h.processWatermark(T0 + 2 * MIN - 1);
            assertThat(summary(h.extractOutputValues().subList(2, 4)))
                    .containsExactly("checkout|db 1.0/s", "frontend|checkout 1.0/s");
        }
    }

    @Test
    void learnedEdgesExpireAndStateIsCleanedStaticEdgesNeverExpire() throws Exception {
        try (var h = harness(CONFIG.withStaticEdges(List.of("frontend|catalog")))) {
            feed(h, counts("frontend", "checkout", 0, 60, 0, 600));
            h.processWatermark(T0 + MIN - 1);
            feed(h, counts("checkout", "db", 10, 60, 0, 600));
            h.processWatermark(T0 + 11 * MIN - 1);
            assertThat(summary(h.extractOutputValues())).containsExactly(
                    "frontend|catalog static 0.0/s", "frontend|checkout 1.0/s",      // window 0
                    "checkout|db 1.0/s", "frontend|catalog static 0.0/s", "frontend|checkout 1.0/s"); // window 10
            h.getOutput().clear();
            // frontend→checkout last seen at T0+1min: expires at T0+61min; checkout→db at T0+71min.
            h.processWatermark(T0 + 61 * MIN);
            assertThat(summary(h.extractOutputValues())).containsExactly("checkout|db 1.0/s",
                    "frontend|catalog static 0.0/s", "frontend|checkout expired 1.0/s");
            h.getOutput().clear();
            h.processWatermark(T0 + 24 * 60 * MIN);
            assertThat(summary(h.extractOutputValues())).containsExactly("checkout|db expired 1.0/s",
                    "frontend|catalog static 0.0/s");
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries()).isEqualTo(2); // the static edge and the loaded flag
        }
        try (var h = harness(CONFIG)) {
            feed(h, counts("a", "b", 0, 60, 0, 600));
            h.processWatermark(T0 + 2 * 60 * MIN);
            assertThat(summary(h.extractOutputValues())).containsExactly("a|b 1.0/s", "a|b expired 1.0/s");
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
