package io.hawkeye.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.alerts.Alert;
import io.hawkeye.stats.WindowStats;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Threshold rules: for, update cadence, resolve, runtime updates and deletes through broadcast state, cleanup. */
class RulesEvaluatorTest {
    static final long T0 = 1_767_268_800_000L;
    static final long MIN = 60_000;

    static KeyedBroadcastOperatorTestHarness<String, WindowStats, RuleUpdate, Alert> harness(DetectionConfig c)
            throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new RulesEvaluator(c),
                (WindowStats w) -> w.seriesId, Types.STRING, RulesEvaluator.RULES);
        h.open();
        return h;
    }

    static WindowStats window(String endpoint, int i, double errorRate, double p95) {
        WindowStats w = new WindowStats();
        w.scope = endpoint.equals(WindowStats.ALL_ENDPOINTS) ? "service" : "endpoint";
        w.service = "checkout";
        w.endpoint = endpoint;
        w.seriesId = WindowStats.seriesId(w.service, endpoint);
        w.windowStart = T0 + i * MIN;
        w.windowEnd = w.windowStart + MIN;
        w.count = 1000;
        w.errors = Math.round(1000 * errorRate);
        w.errorRate = errorRate;
        w.rps = w.count / 60.0;
        w.p95Ms = p95;
        return w;
    }

    /** The keyed (per-series) state entries; the broadcast harness has no numKeyedStateEntries(). */
    static int entries(KeyedBroadcastOperatorTestHarness<String, WindowStats, RuleUpdate, Alert> h) {
        var op = (org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>) h.getOperator();
        return ((org.apache.flink.runtime.state.heap.HeapKeyedStateBackend<?>) op.getKeyedStateBackend())
                .numKeyValueStateEntries();
    }

    static void feed(KeyedBroadcastOperatorTestHarness<String, WindowStats, RuleUpdate, Alert> h, WindowStats w)
            throws Exception {
        h.processElement(w, w.windowEnd - 1);
    }

    static List<String> summary(List<Alert> alerts) {
        return alerts.stream().map(a -> a.detector + " " + a.status + "@" + (a.windowStart - T0) / MIN).toList();
    }

    @Test
    void defaultErrorRateRuleFiresAfterForUpdatesAndResolves() throws Exception {
        try (var h = harness(DetectionConfig.defaults())) {
            int i = 0;
            for (; i < 5; i++) feed(h, window("POST /pay", i, 0.01, 100));
            for (; i < 17; i++) feed(h, window("POST /pay", i, 0.2, 100)); // 12 windows
            assertThat(entries(h)).isEqualTo(1);
            for (; i < 25; i++) feed(h, window("POST /pay", i, 0.01, 100));
            // for: 2m over 1-minute windows = 2; updates every 5; resolve after 3 quiet windows
            assertThat(summary(h.extractOutputValues())).containsExactly("rule:HighErrorRate firing@6",
                    "rule:HighErrorRate firing@11", "rule:HighErrorRate firing@16", "rule:HighErrorRate resolved@19");
            Alert fire = h.extractOutputValues().get(0);
            assertThat(fire.severity).isEqualTo("critical");
            assertThat(fire.startsAt).isEqualTo(T0 + 5 * MIN);
            assertThat(fire.value).isEqualTo(0.2);
            assertThat(fire.upper).isEqualTo(0.05);
            assertThat(fire.labels).containsEntry("slo", "availability").containsEntry("scope", "endpoint");
            assertThat(h.extractOutputValues().get(3).endsAt).isEqualTo(T0 + 17 * MIN);
            // Idle lifecycles are removed: a healthy series holds no state.
            assertThat(entries(h)).isZero();
        }
    }

    @Test
    void flappingShorterThanForNeverFiresAndScopeIsRespected() throws Exception {
        try (var h = harness(DetectionConfig.defaults())) {
            for (int i = 0; i < 20; i++) {
                // every other window above the threshold: never 2 in a row
                feed(h, window("POST /pay", i, i % 2 == 0 ? 0.2 : 0.01, 100));
                // service scope: the default rules are endpoint-scoped
                feed(h, window(WindowStats.ALL_ENDPOINTS, i, 0.5, 5000));
            }
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void rulesAreAddedReplacedAndDeletedAtRuntimeAndBadUpdatesAreIgnored() throws Exception {
        try (var h = harness(DetectionConfig.defaults())) {
            h.processBroadcastElement(new RuleUpdate("ServiceDown", """
                    expr: "rps < 1"
                    scope: service
                    severity: critical
                    """), T0);
            h.processBroadcastElement(new RuleUpdate("Broken", "expr: \"rps <\""), T0); // rejected, counted
            h.processBroadcastElement(new RuleUpdate("HighLatencyP95", null), T0); // delete a startup rule
            WindowStats slowQuiet = window(WindowStats.ALL_ENDPOINTS, 0, 0, 9000);
            slowQuiet.rps = 0.5;
            feed(h, slowQuiet);
            for (int i = 1; i < 6; i++) feed(h, window("GET /cart", i, 0, 9000)); // p95 rule deleted
            assertThat(summary(h.extractOutputValues())).containsExactly("rule:ServiceDown firing@0");

            // Deleting a rule resolves its firing alerts.
            h.processBroadcastElement(new RuleUpdate("ServiceDown", null), T0 + 10 * MIN);
            assertThat(summary(h.extractOutputValues())).containsExactly("rule:ServiceDown firing@0",
                    "rule:ServiceDown resolved@1");
            assertThat(h.extractOutputValues().get(1).labels).containsEntry("reason", "rule-deleted");
            assertThat(entries(h)).isZero();
        }
    }

    /**
     * Hostile rules-topic records never reach the rules in force and never stop the operator: unreadable YAML, a
     * nesting bomb, an over-long expression; and no more than {@link RulesEvaluator#MAX_RULES} rules are in force.
     */
    @Test
    void hostileUpdatesAreRejectedAndTheNumberOfRulesIsBounded() throws Exception {
        try (var h = harness(DetectionConfig.defaults())) {
            int startup = DetectionConfig.defaults().rules().size();
            h.processBroadcastElement(new RuleUpdate("Nested", "expr: " + "[".repeat(20_000)), T0);
            h.processBroadcastElement(new RuleUpdate("Deep", "expr: \"" + "(".repeat(400) + "count > 0"
                    + ")".repeat(400) + "\""), T0);
            h.processBroadcastElement(new RuleUpdate("\u0000", "expr: count > 0"), T0);
            for (int i = 0; i <= RulesEvaluator.MAX_RULES; i++) {
                h.processBroadcastElement(new RuleUpdate("R" + i, "expr: \"count >= 0\"\nscope: service"), T0);
            }
            feed(h, window(WindowStats.ALL_ENDPOINTS, 0, 0, 10));
            long fired = h.extractOutputValues().stream().filter(a -> a.detector.startsWith("rule:R")).count();
            assertThat(fired).isEqualTo(RulesEvaluator.MAX_RULES - startup);
            assertThat(h.extractOutputValues()).noneMatch(a -> a.detector.equals("rule:Nested")
                    || a.detector.equals("rule:Deep"));
            // At the limit a new rule is rejected; after a delete there is room for it.
            h.processBroadcastElement(new RuleUpdate("Fresh", "expr: \"count >= 0\"\nscope: service"), T0);
            feed(h, window(WindowStats.ALL_ENDPOINTS, 1, 0, 10));
            assertThat(h.extractOutputValues()).noneMatch(a -> a.detector.equals("rule:Fresh"));
            h.processBroadcastElement(new RuleUpdate("R1", null), T0);
            h.processBroadcastElement(new RuleUpdate("Fresh", "expr: \"count >= 0\"\nscope: service"), T0);
            feed(h, window(WindowStats.ALL_ENDPOINTS, 2, 0, 10));
            assertThat(h.extractOutputValues()).filteredOn(a -> a.detector.equals("rule:Fresh"))
                    .extracting(a -> a.status).containsExactly(Alert.FIRING);
        }
    }
}
