package io.hawkeye.jobs.correlate;

import static io.hawkeye.correlate.IncidentTestData.EDGES;
import static io.hawkeye.correlate.IncidentTestData.assertDatabaseFaultIncident;
import static io.hawkeye.correlate.IncidentTestData.assertMergedIntoOlder;
import static io.hawkeye.jobs.correlate.CorrelationTestData.MIN;
import static io.hawkeye.jobs.correlate.CorrelationTestData.T0;
import static io.hawkeye.jobs.correlate.CorrelationTestData.alert;
import static io.hawkeye.jobs.correlate.CorrelationTestData.edge;
import static io.hawkeye.jobs.correlate.CorrelationTestData.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.alerts.Alert;
import io.hawkeye.correlate.Incident;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The incident operator on Flink's harness: the book's decisions applied to keyed state, timers and outputs —
 * publications with annotated alerts, merged incidents, resolution after the quiet period with state and timer
 * cleanup, event-time alignment with the broadcast graph, late alerts. The rules themselves (join window, hops,
 * bounds, ranking, evidence, suppression) are tested without a harness in udfs' {@code IncidentBookTest}.
 */
class IncidentCorrelatorTest {
    static KeyedBroadcastOperatorTestHarness<Integer, Alert, TopologyEdge, Incident> harness(CorrelationConfig c)
            throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new IncidentCorrelator(c),
                new CorrelationWorkflow.Constant<Alert>(), Types.INT, IncidentCorrelator.GRAPH);
        h.open();
        for (String[] e : EDGES) h.processBroadcastElement(edge(e[0], e[1]), T0);
        return h;
    }

    static KeyedBroadcastOperatorTestHarness<Integer, Alert, TopologyEdge, Incident> harness() throws Exception {
        return harness(CorrelationConfig.defaults());
    }

    /** The watermark each harness was advanced to. */
    static final Map<Object, Long> WATERMARKS = new java.util.IdentityHashMap<>();

    /** The alert at its emission time, then both watermarks to it (never back): it is released and published. */
    static void feed(KeyedBroadcastOperatorTestHarness<Integer, Alert, TopologyEdge, Incident> h, Alert a)
            throws Exception {
        long ts = Math.max(a.windowEnd, a.endsAt) - 1;
        h.processElement(a, ts);
        advance(h, ts);
    }

    /** Both inputs' watermarks (never back): the operator's event time is their minimum. */
    static void advance(KeyedBroadcastOperatorTestHarness<Integer, Alert, TopologyEdge, Incident> h, long t)
            throws Exception {
        if (t <= WATERMARKS.getOrDefault(h, Long.MIN_VALUE)) return;
        WATERMARKS.put(h, t);
        h.processWatermark(t);
        h.processBroadcastWatermark(t);
    }

    static int entries(KeyedBroadcastOperatorTestHarness<Integer, Alert, TopologyEdge, Incident> h) {
        var op = (org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>) h.getOperator();
        return ((org.apache.flink.runtime.state.heap.HeapKeyedStateBackend<?>) op.getKeyedStateBackend())
                .numKeyValueStateEntries();
    }

    /** The latest version of each incident, by id, in order of first appearance. */
    static Map<String, Incident> latest(List<Incident> out) {
        Map<String, Incident> m = new LinkedHashMap<>();
        for (Incident i : out) m.put(i.incidentId, i);
        return m;
    }

    static Map<String, Alert> annotated(KeyedBroadcastOperatorTestHarness<Integer, Alert, TopologyEdge, Incident> h) {
        Map<String, Alert> m = new LinkedHashMap<>();
        for (var r : h.getSideOutput(IncidentCorrelator.ANNOTATED)) m.put(r.getValue().service, r.getValue());
        return m;
    }

    @Test
    void databaseFaultIsOneIncidentWithTheDatabaseAsRootCauseAndSymptomsMarked() throws Exception {
        try (var h = harness()) {
            Alert db = alert("db", 0, 0.95);
            feed(h, db);
            feed(h, alert("checkout", 1, 0.99));
            feed(h, alert("catalog", 1, 0.97));
            feed(h, alert("frontend", "error_rate", 2, 0.9));
            Map<String, Incident> incidents = latest(h.extractOutputValues());
            assertThat(h.extractOutputValues()).hasSize(4);
            assertThat(incidents).hasSize(1);
            assertDatabaseFaultIncident(incidents.values().iterator().next(), db, annotated(h));
        }
    }

    @Test
    void aLinkingAlertMergesIncidentsIntoTheOlder() throws Exception {
        try (var h = harness()) {
            Alert a = alert("a", 0, 0.9);
            feed(h, a);
            feed(h, alert("e", 1, 0.9));   // 4 hops: separate
            assertThat(latest(h.extractOutputValues())).hasSize(2);
            h.getOutput().clear();
            feed(h, alert("c", 2, 0.9));   // 2 hops from both
            List<Incident> out = h.extractOutputValues();
            assertMergedIntoOlder(out, a);
            // The alert of the merged incident is re-annotated with the surviving id.
            assertThat(annotated(h).get("e").incidentId).isEqualTo(Incident.incidentId(a.alertId, a.startsAt));
        }
    }

    @Test
    void resolvesAfterAllAlertsResolvedAndTheQuietPeriodThenForgetsIt() throws Exception {
        try (var h = harness()) {
            Alert db = alert("db", 0, 0.95);
            Alert checkout = alert("checkout", 1, 0.9);
            feed(h, db);
            feed(h, checkout);
            feed(h, resolved(db, 6));
            assertThat(h.extractOutputValues().get(2).firingCount).isEqualTo(1);
            advance(h, T0 + 30 * MIN);
            assertThat(h.extractOutputValues()).hasSize(3);   // still firing: no resolution
            feed(h, resolved(checkout, 8));   // late: correlated at once, published with the next watermark
            advance(h, T0 + 13 * MIN - 1 + 30 * MIN);
            List<Incident> out = h.extractOutputValues();
            // The resolution timer at 8 + 5 min was in the past: it fires with the next watermark, before the
            // tick that would have published the change, and the resolution record carries it.
            assertThat(out).hasSize(4);
            Incident last = out.get(3);
            assertThat(last.status).isEqualTo(Incident.RESOLVED);
            assertThat(last.resolvedAt).isEqualTo(T0 + 13 * MIN);
            assertThat(last.firingCount).isZero();
            assertThat(last.mergedInto).isNull();
            assertThat(entries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void quietPeriodTimerIsExactAndANewAlertKeepsTheIncidentOpen() throws Exception {
        try (var h = harness()) {
            Alert db = alert("db", 0, 0.95);
            feed(h, db);
            feed(h, resolved(db, 3));
            advance(h, T0 + 8 * MIN - 1);           // resolves at 3 + 5 min
            assertThat(h.extractOutputValues()).hasSize(2);
            Alert late = alert("checkout", 2, 0.9);          // arrives late, within the quiet period
            feed(h, late);
            advance(h, T0 + 60 * MIN);
            Map<String, Incident> incidents = latest(h.extractOutputValues());
            assertThat(incidents).hasSize(1);
            assertThat(incidents.values().iterator().next().status).isEqualTo(Incident.OPEN);
            assertThat(incidents.values().iterator().next().services).containsExactly("checkout", "db");
            // One key; its non-empty states: the open incident, its head, its members, the service index.
            assertThat(entries(h)).isEqualTo(4);
        }
    }

    /**
     * The race of a fast replay: the alerts of a fault reach the operator before the graph edges learned from the
     * spans of the same windows. Aligned on event time, the alerts wait until the graph input's watermark has
     * passed their time: one incident, root cause db. Control: the same alerts correlated against the graph as it
     * was when they arrived (late, so not buffered) split into one incident per service.
     */
    @Test
    void alertsThatOvertakeTheLearnedEdgesWaitForThemAndFormOneIncident() throws Exception {
        List<Alert> fault = List.of(alert("db", 0, 0.95), alert("checkout", 0, 0.9), alert("catalog", 0, 0.9),
                alert("frontend", "error_rate", 0, 0.9));
        long ts = T0 + MIN - 1;   // the alerts' and the edges' window ends at T0 + 1 min
        var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new IncidentCorrelator(CorrelationConfig.defaults()), new CorrelationWorkflow.Constant<Alert>(),
                Types.INT, IncidentCorrelator.GRAPH);
        try (h) {
            h.open();
            for (Alert a : fault) h.processElement(a, ts);
            h.processWatermark(ts);                   // the alert input is ahead ...
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.getSideOutput(IncidentCorrelator.ANNOTATED)).isNull();
            for (String[] e : EDGES) h.processBroadcastElement(edge(e[0], e[1]), ts);   // ... the edges follow
            h.processBroadcastWatermark(ts);
            Map<String, Incident> incidents = latest(h.extractOutputValues());
            assertThat(incidents).hasSize(1);
            Incident i = incidents.values().iterator().next();
            assertThat(i.services).containsExactly("catalog", "checkout", "db", "frontend");
            assertThat(i.topCause).isEqualTo("db");
            assertThat(annotated(h).values()).allSatisfy(a -> {
                assertThat(a.incidentId).isEqualTo(i.incidentId);
                assertThat(a.causedBy).isEqualTo(a.service.equals("db") ? null : "db");
            });
            assertThat(entries(h)).isEqualTo(4);   // nothing left buffered: incident, its head, members, index
        }
        var control = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new IncidentCorrelator(CorrelationConfig.defaults()), new CorrelationWorkflow.Constant<Alert>(),
                Types.INT, IncidentCorrelator.GRAPH);
        try (control) {
            control.open();
            control.processWatermark(ts);
            control.processBroadcastWatermark(ts);
            for (Alert a : fault) control.processElement(a, ts);   // late: correlated at once, without edges
            for (String[] e : EDGES) control.processBroadcastElement(edge(e[0], e[1]), ts);
            control.processWatermark(Long.MAX_VALUE);
            control.processBroadcastWatermark(Long.MAX_VALUE);
            assertThat(latest(control.extractOutputValues())).hasSize(4);
        }
    }

    /**
     * The end of a bounded input: the final watermark makes the graph operator expire every learned edge before
     * the last buffered alerts are released. An edge counts for alerts of times before its expiry: still one
     * incident rooted at db. Control: an alert starting after the expiry does not use the edge.
     */
    @Test
    void edgesExpiredAfterTheAlertsTimeStillGroupThem() throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new IncidentCorrelator(CorrelationConfig.defaults()), new CorrelationWorkflow.Constant<Alert>(),
                Types.INT, IncidentCorrelator.GRAPH);
        try (h) {
            h.open();
            for (String[] e : EDGES) h.processBroadcastElement(edge(e[0], e[1]), T0);
            for (Alert a : List.of(alert("db", 0, 0.95), alert("checkout", 0, 0.9), alert("frontend", 0, 0.9))) {
                h.processElement(a, T0 + MIN - 1);
            }
            for (String[] e : EDGES) {   // expired at minute 5, while the alerts are still buffered
                TopologyEdge gone = edge(e[0], e[1]);
                gone.active = false;
                gone.updatedAt = T0 + 5 * MIN;
                h.processBroadcastElement(gone, T0 + 5 * MIN - 1);
            }
            // After the expiry, within the join window of db's alert: catalog → db no longer counts.
            h.processElement(alert("catalog", 6, 0.9), T0 + 7 * MIN - 1);
            h.processWatermark(Long.MAX_VALUE);
            h.processBroadcastWatermark(Long.MAX_VALUE);
            Map<String, Incident> incidents = latest(h.extractOutputValues());
            assertThat(incidents.values()).extracting(i -> String.join(",", i.services) + " " + i.topCause)
                    .containsExactly("checkout,db,frontend db", "catalog catalog");
        }
    }
}
