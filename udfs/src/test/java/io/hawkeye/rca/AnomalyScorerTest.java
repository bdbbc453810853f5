package io.hawkeye.rca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The evidence of {@link AnomalyScorer}: effects on each signal's own scale, the drift guard, explain-away in both
 * directions, the resource gate and the per-edge gap evidence, each on hand-made series with known answers.
 */
class AnomalyScorerTest {
    static final int NORMAL = 20, ABNORMAL = 8;
    static final long MINUTE = 60_000;

    final SignalData normal = new SignalData(), abnormal = new SignalData();
    final EdgeData normalEdges = new EdgeData(), abnormalEdges = new EdgeData();

    /** A service signal: value(i) for minute i, normal minutes 0..19, abnormal 20..27. */
    void signal(String service, String signal, IntToDoubleFunction value) {
        for (int i = 0; i < NORMAL + ABNORMAL; i++) {
            (i < NORMAL ? normal : abnormal).add(i * MINUTE, service, signal, value.applyAsDouble(i));
        }
    }

    void edge(String caller, String callee, String signal, IntToDoubleFunction value) {
        for (int i = 0; i < NORMAL + ABNORMAL; i++) {
            (i < NORMAL ? normalEdges : abnormalEdges).add(i * MINUTE, caller, callee, signal,
                    value.applyAsDouble(i));
        }
    }

    /** A small deterministic wobble in [-1, 1]. */
    static double wobble(int i) {
        return ((i * 7919) % 13 - 6) / 6.0;
    }

    Map<String, ServiceAnomaly> score(ServiceGraph g) {
        return AnomalyScorer.score(g, g.services(), normal, abnormal, normalEdges, abnormalEdges);
    }

    @Test
    void latencyIsMeasuredOnALogScaleWithAnOffsetFromTheTypicalLevel() {
        ServiceGraph g = ServiceGraph.ofEdges("a", "b");
        signal("a", "latency_p99", i -> i < NORMAL ? 100 : 300);
        signal("b", "latency_p99", i -> 100);
        // Offset c = 5 % of the median normal level over services (100) = 5; effect = log(305/105).
        AnomalyScorer.Transform t = AnomalyScorer.Transform.of("latency_p99", normal);
        assertThat(t.log()).isTrue();
        assertThat(t.offset()).isCloseTo(5.0, within(1e-12));
        AnomalyScorer.Effect e = AnomalyScorer.Effect.of("latency_p99", t, normal.series("a", "latency_p99"),
                abnormal.series("a", "latency_p99"), null);
        assertThat(e.effect).isCloseTo(Math.log(305.0 / 105.0), within(1e-12));
        // Bounded ratios stay linear.
        signal("a", "cpu_utilization", i -> 0.2);
        assertThat(AnomalyScorer.Transform.of("cpu_utilization", normal).log()).isFalse();
    }

    @Test
    void aLevelThatMovedBeforeTheAbnormalPeriodIsNotThisIncidents() {
        ServiceGraph g = new ServiceGraph().addService("m").addService("n");
        // m: memory steps up in the last 3 normal minutes and stays; n: steps up only in the abnormal period.
        signal("m", "memory_utilization", i -> (i >= NORMAL - 3 ? 0.35 : 0.34) + 1e-4 * wobble(i));
        signal("n", "memory_utilization", i -> (i >= NORMAL ? 0.35 : 0.34) + 1e-4 * wobble(i));
        Map<String, ServiceAnomaly> s = score(g);
        assertThat(s.get("m").strength()).isZero();
        assertThat(s.get("n").strength()).isGreaterThan(2);
    }

    @Test
    void callerLatencyIsExplainedByItsCalleeAndACalleesTrafficByItsCaller() {
        ServiceGraph g = ServiceGraph.ofEdges("api", "db");
        // db 3x slower; api's latency (20 ms of its own + db's) follows; api's traffic halves, so does db's.
        signal("db", "latency_p99", i -> (i < NORMAL ? 50 : 150) + wobble(i));
        signal("api", "latency_p99", i -> (i < NORMAL ? 70 : 170) + wobble(i));
        signal("api", "rps", i -> (i < NORMAL ? 100 : 50) + wobble(i));
        signal("db", "rps", i -> (i < NORMAL ? 100 : 50) + wobble(i));
        Map<String, ServiceAnomaly> s = score(g);
        assertThat(s.get("api").strength()).isGreaterThan(2);   // a large change, both signals ...
        assertThat(s.get("api").unexplained())                   // ... but only the traffic drop is its own
                .isCloseTo(s.get("api").strength(), within(1e-9));
        assertThat(s.get("api").evidence()).startsWith("rps");
        // db: its latency is its own; its traffic drop is api's.
        assertThat(s.get("db").evidence()).startsWith("latency_p99");
        assertThat(s.get("db").unexplained()).isGreaterThan(2);
    }

    @Test
    void aResourceChangeCountsOnlyWhenTheServicesRequestsMoved() {
        ServiceGraph g = ServiceGraph.ofEdges("gw", "busy", "gw", "idle");
        signal("gw", "latency_p99", i -> (i < NORMAL ? 100 : 400) + wobble(i));
        // busy: CPU saturated and 4x slower; idle: memory up 2 pp with requests unchanged.
        signal("busy", "cpu_utilization", i -> (i < NORMAL ? 0.05 : 0.95) + 0.005 * wobble(i));
        signal("busy", "latency_p99", i -> (i < NORMAL ? 80 : 320) + wobble(i));
        signal("idle", "memory_utilization", i -> (i < NORMAL ? 0.30 : 0.32) + 1e-4 * wobble(i));
        signal("idle", "latency_p99", i -> 30 + wobble(i));
        Map<String, ServiceAnomaly> s = score(g);
        assertThat(s.get("idle").strength()).isGreaterThan(3);  // a 2 pp step on a flat series: z ≫ 3
        assertThat(s.get("idle").unexplained()).isZero();
        assertThat(s.get("idle").evidence()).contains("counted 0 %");
        assertThat(s.get("busy").unexplained()).isGreaterThan(3);
        List<RankedCause> r = new RootCauseRanker().rank(g, s, null);
        assertThat(r.get(0).service()).isEqualTo("busy");
        assertThat(r.get(r.size() - 1).service()).isEqualTo("idle");
    }

    /** Network delay into db: both callers see +1 s outside db; db's own time is unchanged. */
    @Test
    void timeOutsideACalleeOnEveryEdgeIntoItNamesTheCallee() {
        ServiceGraph g = ServiceGraph.ofEdges("gw", "a", "gw", "b", "a", "db", "b", "db", "a", "cache");
        for (String caller : List.of("a", "b")) {
            edge(caller, "db", "server_latency_p50", i -> 10 + 0.5 * wobble(i));
            edge(caller, "db", "gap_p50", i -> (i < NORMAL ? 2 : 1002) + 0.2 * wobble(i));
            edge(caller, "db", "client_latency_p50", i -> (i < NORMAL ? 12 : 1012) + 0.5 * wobble(i));
        }
        edge("a", "cache", "gap_p50", i -> 1 + 0.1 * wobble(i));
        edge("a", "cache", "client_latency_p50", i -> 3 + 0.1 * wobble(i));
        signal("db", "latency_p90", i -> 10 + 0.5 * wobble(i));
        signal("cache", "latency_p90", i -> 2 + 0.1 * wobble(i));
        signal("a", "latency_p90", i -> (i < NORMAL ? 30 : 1030) + wobble(i));
        signal("b", "latency_p90", i -> (i < NORMAL ? 25 : 1025) + wobble(i));
        signal("gw", "latency_p90", i -> (i < NORMAL ? 40 : 1040) + wobble(i));
        Map<String, ServiceAnomaly> s = score(g);
        assertThat(s.get("db").evidence()).startsWith("gap_p50 into it").contains("median of 2 callers")
                .contains("time outside the callee");
        assertThat(s.get("a").unexplained()).isZero();           // its calls to db explain it
        assertThat(s.get("b").unexplained()).isZero();
        List<RankedCause> r = new RootCauseRanker().rank(g, s, null);
        assertThat(r.get(0).service()).isEqualTo("db");
        // Without the edge files the same per-service data cannot see it: db's own latency did not move.
        ServiceAnomaly dbWithout = AnomalyScorer.score(g, g.services(), normal, abnormal, EdgeData.none(),
                EdgeData.none()).get("db");
        assertThat(dbWithout.strength()).isZero();
    }

    /** A caller starved of CPU: every call it makes takes longer outside its callees; other callers are fine. */
    @Test
    void timeOutsideOnEveryCallOfOneCallerNamesTheCaller() {
        ServiceGraph g = ServiceGraph.ofEdges("slow", "x", "slow", "y", "ok", "x", "ok", "y");
        for (String callee : List.of("x", "y")) {
            edge("slow", callee, "gap_p50", i -> (i < NORMAL ? 2 : 302) + 0.2 * wobble(i));
            edge("ok", callee, "gap_p50", i -> 2 + 0.2 * wobble(i));
        }
        Map<String, ServiceAnomaly> s = score(g);
        assertThat(s.get("slow").evidence()).startsWith("gap_p50 of its calls").contains("caller's side");
        // x and y: one of their two callers sees it; the lower median of two edges is the normal one.
        assertThat(s.get("x").strength()).isZero();
        assertThat(s.get("y").strength()).isZero();
    }

    @Test
    void anEdgeWithoutNormalDataIsComparedWithTheTypicalEdge() {
        ServiceGraph g = ServiceGraph.ofEdges("a", "b", "a", "c", "d", "b", "d", "e", "a", "f", "d", "h");
        // No normal edge data at all: the reference is the median edge of the abnormal period (4 ms; 2 of 6 edges
        // are slow).
        for (String[] e : List.of(new String[] {"a", "b"}, new String[] {"d", "b"})) {
            for (int i = NORMAL; i < NORMAL + ABNORMAL; i++) {
                abnormalEdges.add(i * MINUTE, e[0], e[1], "gap_p50", 2004 + wobble(i));
            }
        }
        for (String[] e : List.of(new String[] {"a", "c"}, new String[] {"d", "e"}, new String[] {"a", "f"},
                new String[] {"d", "h"})) {
            for (int i = NORMAL; i < NORMAL + ABNORMAL; i++) {
                abnormalEdges.add(i * MINUTE, e[0], e[1], "gap_p50", 4 + wobble(i));
            }
        }
        Map<String, ServiceAnomaly> s = score(g);
        assertThat(s.get("b").strength()).isGreaterThan(2);
        assertThat(s.get("b").evidence()).startsWith("gap_p50 into it");
        assertThat(List.of(s.get("c").strength(), s.get("e").strength(), s.get("f").strength(),
                s.get("h").strength())).containsOnly(0.0);
    }
}
