package io.hawkeye.jobs.correlate;

import io.hawkeye.alerts.Alert;
import io.hawkeye.correlate.IncidentTestData;
import io.hawkeye.telemetry.Span;

/** Deterministic alerts (those of the incident rules' tests in udfs) and spans for the correlation tests. */
final class CorrelationTestData {
    static final long T0 = IncidentTestData.T0;
    static final long MIN = IncidentTestData.MIN;

    private CorrelationTestData() {}

    /** A firing latency alert on {@code service} starting {@code minute} minutes after T0. */
    static Alert alert(String service, int minute, double score) {
        return IncidentTestData.alert(service, minute, score);
    }

    static Alert alert(String service, String signal, int minute, double score) {
        return IncidentTestData.alert(service, signal, minute, score);
    }

    /** The resolution of {@code a} at {@code minute}. */
    static Alert resolved(Alert a, int minute) {
        return IncidentTestData.resolved(a, minute);
    }

    static Span span(long ts, String caller, String service, double ms, boolean error) {
        Span s = new Span(ts, service, "/x", ms, error);
        s.caller = caller;
        return s;
    }

    static TopologyEdge edge(String caller, String callee) {
        TopologyEdge e = TopologyEdge.of(caller, callee, false);
        e.callsPerS = 1;
        e.lastSeen = T0;
        return e;
    }
}
