package io.hawkeye.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.alerts.Alert;
import java.util.List;
import java.util.Map;

/** Deterministic alerts for the incident rule tests here and the job's correlation tests (udfs test-jar). */
public final class IncidentTestData {
    public static final long T0 = 1_767_268_800_000L; // 2026-01-01T12:00:00Z
    public static final long MIN = 60_000;
    /**
     * The graph of the correlation tests: frontend → checkout → db, frontend → catalog → db; reports → warehouse
     * (another component); a chain a → b → c → d → e.
     */
    public static final String[][] EDGES = {{"frontend", "checkout"}, {"checkout", "db"}, {"frontend", "catalog"},
        {"catalog", "db"}, {"reports", "warehouse"}, {"a", "b"}, {"b", "c"}, {"c", "d"}, {"d", "e"}};

    private IncidentTestData() {}

    /** A firing latency alert on {@code service} starting {@code minute} minutes after T0. */
    public static Alert alert(String service, int minute, double score) {
        return alert(service, "p99_ms", minute, score);
    }

    public static Alert alert(String service, String signal, int minute, double score) {
        Alert a = new Alert();
        a.alertId = Alert.fingerprint(service, "_all", signal, "seasonal");
        a.status = Alert.FIRING;
        a.severity = "warning";
        a.detector = "seasonal";
        a.signal = signal;
        a.service = service;
        a.endpoint = "_all";
        a.value = 500;
        a.expected = 100;
        a.lower = 50;
        a.upper = 200;
        a.score = score;
        a.startsAt = T0 + minute * MIN;
        a.windowStart = a.startsAt;
        a.windowEnd = a.startsAt + MIN;
        a.modelVersion = "seasonal-v1";
        return a;
    }

    /** The resolution of {@code a} at {@code minute}. */
    public static Alert resolved(Alert a, int minute) {
        Alert r = Alert.fromJson(a.toJson());
        r.status = Alert.RESOLVED;
        r.endsAt = T0 + minute * MIN;
        r.windowStart = r.endsAt - MIN;
        r.windowEnd = r.endsAt;
        return r;
    }

    /**
     * The one incident of a database fault on {@link #EDGES} (alerts on db at 0, checkout and catalog at 1, frontend's
     * error rate at 2): db is the root cause, the others its symptoms, and every alert (by service in
     * {@code annotated}) carries the incident's id.
     */
    public static void assertDatabaseFaultIncident(Incident i, Alert db, Map<String, Alert> annotated) {
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

        assertThat(annotated.keySet()).containsExactlyInAnyOrder("db", "checkout", "catalog", "frontend");
        assertThat(annotated.values()).allSatisfy(a -> assertThat(a.incidentId).isEqualTo(i.incidentId));
        assertThat(annotated.get("db").causedBy).isNull();
        assertThat(annotated.get("checkout").causedBy).isEqualTo("db");
        assertThat(annotated.get("catalog").causedBy).isEqualTo("db");
        assertThat(annotated.get("frontend").causedBy).isEqualTo("db");
    }

    /**
     * The publications when an alert on c links the incident of {@code a} (alert on a at 0) with the younger one of
     * e (4 hops away): the younger resolved as merged into the older, then the older with all three alerts.
     */
    public static void assertMergedIntoOlder(List<Incident> out, Alert a) {
        String older = Incident.incidentId(a.alertId, a.startsAt);
        assertThat(out).hasSize(2);
        assertThat(out.get(0).status).isEqualTo(Incident.RESOLVED);
        assertThat(out.get(0).mergedInto).isEqualTo(older);
        assertThat(out.get(0).services).containsExactly("e");
        assertThat(out.get(1).incidentId).isEqualTo(older);
        assertThat(out.get(1).services).containsExactly("a", "c", "e");
        assertThat(out.get(1).alertCount).isEqualTo(3);
    }
}
