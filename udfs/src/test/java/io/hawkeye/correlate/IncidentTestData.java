package io.hawkeye.correlate;

import io.hawkeye.alerts.Alert;

/** Deterministic alerts for the incident rule tests here and the job's correlation tests (udfs test-jar). */
public final class IncidentTestData {
    public static final long T0 = 1_767_268_800_000L; // 2026-01-01T12:00:00Z
    public static final long MIN = 60_000;

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
}
