package io.hawkeye.jobs.correlate;

import static io.hawkeye.jobs.correlate.CorrelationTestData.MIN;
import static io.hawkeye.jobs.correlate.CorrelationTestData.T0;
import static io.hawkeye.jobs.correlate.CorrelationTestData.alert;
import static io.hawkeye.jobs.correlate.CorrelationTestData.edge;
import static io.hawkeye.jobs.correlate.CorrelationTestData.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.alerts.Alert;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * Grouping semantics: join within k hops and the time window, separate incidents, merge, unknown services,
 * resolution after the quiet period with state cleanup, root cause and symptom annotation, late alerts.
 */
class IncidentCorrelatorTest {
    /**
     * frontend → checkout → db, frontend → catalog → db; reports → warehouse (another component); a chain
     * a → b → c → d → e.
     */
    static final String[][] EDGES = {{"frontend", "checkout"}, {"checkout", "db"}, {"frontend", "catalog"},
        {"catalog", "db"}, {"reports", "warehouse"}, {"a", "b"}, {"b", "c"}, {"c", "d"}, {"d", "e"}};

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

    static void feed(KeyedBroadcastOperatorTestHarness<Integer, Alert, TopologyEdge, Incident> h, Alert a)
            throws Exception {
        h.processElement(a, Math.max(a.windowEnd, a.endsAt) - 1);
    }

    /** Both inputs' watermarks: the operator's event time is their minimum. */
    static void advance(KeyedBroadcastOperatorTestHarness<Integer, Alert, TopologyEdge, Incident> h, long t)
            throws Exception {
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
            Incident i = incidents.values().iterator().next();
            assertThat(i.incidentId).isEqualTo(Incident.incidentId(db.alertId, db.startsAt));
            assertThat(i.status).isEqualTo(Incident.OPEN);
            assertThat(i.services).containsExactly("catalog", "checkout", "db", "frontend");
            assertThat(i.alertCount).isEqualTo(4);
            assertThat(i.firingCount).isEqualTo(4);
            assertThat(i.openedAt).isEqualTo(T0);
            assertThat(i.lastAlertAt).isEqualTo(T0 + 2 * MIN);
            assertThat(i.topCause).isEqualTo("db");
            assertThat(i.rootCauses.get(0).service).isEqualTo("db");
            assertThat(i.rootCauses.get(0).explanation).contains("no callees");
            assertThat(i.rootCauses).hasSizeBetween(1, 5);
            assertThat(i.blastRadius).extracting(b -> b.service + "@" + b.hops + "x" + b.alertCount)
                    .containsExactly("catalog@1x1", "checkout@1x1", "frontend@2x1");

            Map<String, Alert> alerts = annotated(h);
            assertThat(alerts.keySet()).containsExactlyInAnyOrder("db", "checkout", "catalog", "frontend");
            assertThat(alerts.values()).allSatisfy(a -> assertThat(a.incidentId).isEqualTo(i.incidentId));
            assertThat(alerts.get("db").causedBy).isNull();
            assertThat(alerts.get("checkout").causedBy).isEqualTo("db");
            assertThat(alerts.get("catalog").causedBy).isEqualTo("db");
            assertThat(alerts.get("frontend").causedBy).isEqualTo("db");
        }
    }

    @Test
    void suppressionCanBeSwitchedOff() throws Exception {
        try (var h = harness(CorrelationConfig.defaults().withSuppressSymptoms(false))) {
            feed(h, alert("db", 0, 0.95));
            feed(h, alert("checkout", 1, 0.99));
            assertThat(annotated(h).values()).allSatisfy(a -> {
                assertThat(a.causedBy).isNull();
                assertThat(a.incidentId).isNotNull();
            });
        }
    }

    @Test
    void unconnectedServicesTooFarApartOrTooLateFormSeparateIncidents() throws Exception {
        try (var h = harness()) {
            feed(h, alert("db", 0, 0.9));
            feed(h, alert("warehouse", 1, 0.9));   // another component
            feed(h, alert("a", 1, 0.9));
            feed(h, alert("d", 2, 0.9));           // 3 hops from a
            feed(h, alert("checkout", 11, 0.9));   // db's latest alert started 11 min before
            Map<String, Incident> incidents = latest(h.extractOutputValues());
            assertThat(incidents.values()).extracting(i -> String.join(",", i.services) + " " + i.status)
                    .containsExactly("db open", "warehouse open", "a open", "d open", "checkout open");
            // A late alert 10 min after db's (the bound is inclusive) and 1 min before checkout's links both.
            feed(h, alert("catalog", 10, 0.9));
            incidents = latest(h.extractOutputValues());
            assertThat(incidents.values()).extracting(i -> String.join(",", i.services) + " " + i.status)
                    .containsExactly("catalog,checkout,db open", "warehouse open", "a open", "d open",
                            "checkout resolved");
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
            String older = Incident.incidentId(a.alertId, a.startsAt);
            assertThat(out).hasSize(2);
            assertThat(out.get(0).status).isEqualTo(Incident.RESOLVED);
            assertThat(out.get(0).mergedInto).isEqualTo(older);
            assertThat(out.get(0).services).containsExactly("e");
            assertThat(out.get(1).incidentId).isEqualTo(older);
            assertThat(out.get(1).services).containsExactly("a", "c", "e");
            assertThat(out.get(1).alertCount).isEqualTo(3);
            // The alert of the merged incident is re-annotated with the surviving id.
            assertThat(annotated(h).get("e").incidentId).isEqualTo(older);
        }
    }

    @Test
    void alertsOnUnknownServicesGetTheirOwnIncident() throws Exception {
        try (var h = harness()) {
            feed(h, alert("db", 0, 0.9));
            feed(h, alert("mystery", 1, 0.9));
            feed(h, alert("mystery", "error_rate", 2, 0.9)); // same unknown service: same incident
            Map<String, Incident> incidents = latest(h.extractOutputValues());
            assertThat(incidents.values()).extracting(i -> String.join(",", i.services) + "/" + i.alertCount)
                    .containsExactly("db/1", "mystery/2");
            assertThat(incidents.values()).extracting(i -> i.topCause).containsExactly("db", "mystery");
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
            feed(h, resolved(checkout, 8));
            advance(h, T0 + 13 * MIN - 1 + 30 * MIN);
            List<Incident> out = h.extractOutputValues();
            assertThat(out.get(3).firingCount).isZero();
            assertThat(out).hasSize(5);   // the timer at 8 + 5 min was in the past: fires with the next watermark
            Incident last = out.get(4);
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
            assertThat(entries(h)).isEqualTo(1);
        }
    }
}
