package io.hawkeye.json;

import io.hawkeye.alerts.Alert;
import io.hawkeye.alerts.Attribution;
import io.hawkeye.correlate.Incident;
import io.hawkeye.scaling.ForecastScore;
import io.hawkeye.scaling.LoadForecast;
import io.hawkeye.scaling.ScalingAction;
import io.hawkeye.stats.CallEdgeStats;
import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import io.hawkeye.telemetry.DeadLetter;
import io.hawkeye.telemetry.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One instance of every output record per JSON shape that matters: nulls (strings, non-finite doubles, unset
 * instants), omitted optional fields, instants with and without milliseconds, binary fields, nested objects.
 */
public final class OutputRecordFixtures {
    static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();

    private OutputRecordFixtures() {}

    /** Three calls checkout → inventory, two of them paired with inventory's span. */
    public static CallEdgeStats callEdge() {
        return CallEdgeStats.of("checkout", "inventory", T0, T0 + 60_000, new double[] {12.0, 20.0, 4.0},
                new boolean[] {false, true, false}, new double[] {10.0, 15.0, Double.NaN}, 0.01);
    }

    public static WindowStats endpointWindow() {
        WindowStats w = new WindowStats();
        w.scope = WindowStats.SCOPE_ENDPOINT;
        w.service = "checkout";
        w.endpoint = "POST /pay";
        w.seriesId = WindowStats.seriesId(w.service, w.endpoint);
        w.windowStart = T0 + 123;
        w.windowEnd = T0 + 10_123;
        w.count = 1000;
        w.errors = 20;
        w.errorRate = 0.02;
        w.rps = 100.0;
        w.minMs = 1.25;
        w.meanMs = 48.123456789;
        w.maxMs = 1200;
        w.p50Ms = 40;
        w.p90Ms = 90.5;
        w.p95Ms = 120;
        w.p99Ms = 480.75;
        w.p999Ms = 1e3;
        w.relativeAccuracy = 0.01;
        w.revision = 2;
        w.sketch = new byte[] {0, 1, 2, (byte) 0xfe, (byte) 0xff, 42, 7};
        return w;
    }

    /** A service rollup of an empty window: no sketch (the field is left out), NaN statistics (null). */
    static WindowStats emptyServiceWindow() {
        WindowStats w = new WindowStats();
        w.scope = WindowStats.SCOPE_SERVICE;
        w.service = "cart";
        w.endpoint = WindowStats.ALL_ENDPOINTS;
        w.seriesId = WindowStats.seriesId(w.service, w.endpoint);
        w.windowStart = T0;
        w.windowEnd = T0 + 10_000;
        w.minMs = Double.POSITIVE_INFINITY;
        w.meanMs = Double.NaN;
        w.maxMs = Double.NEGATIVE_INFINITY;
        w.p50Ms = Double.NaN;
        w.p90Ms = Double.NaN;
        w.p95Ms = Double.NaN;
        w.p99Ms = Double.NaN;
        w.p999Ms = Double.NaN;
        w.relativeAccuracy = 0.01;
        return w;
    }

    public static MetricStats metric() {
        MetricStats m = new MetricStats();
        m.service = "checkout";
        m.name = "cpu.utilisation";
        m.unit = "ratio";
        m.seriesId = m.service + "|" + m.name;
        m.windowStart = T0;
        m.windowEnd = T0 + 60_000;
        m.count = 12;
        m.min = 0.125;
        m.mean = 0.5;
        m.max = 0.875;
        m.last = 0.75;
        m.p95 = 0.86;
        m.relativeAccuracy = 0.01;
        m.revision = 1;
        return m;
    }

    /** No unit (the field is left out) and a NaN percentile (null). */
    static MetricStats metricWithoutUnit() {
        MetricStats m = metric();
        m.unit = null;
        m.p95 = Double.NaN;
        m.last = Double.NaN;
        return m;
    }

    public static LoadForecast forecast() {
        LoadForecast f = new LoadForecast();
        f.service = "checkout";
        f.generatedAt = T0;
        f.targetTime = T0 + 840_000;
        f.horizonMs = 900_000;
        f.forecastRps = 250.5;
        f.lower = 200.25;
        f.upper = 300;
        f.phase = "DAILY";
        f.model = "seasonal-v1";
        return f;
    }

    public static ForecastScore score() {
        ForecastScore s = new ForecastScore();
        s.service = "checkout";
        s.generatedAt = T0;
        s.since = T0 - 86_400_000;
        s.count = 10;
        s.mae = 1.5;
        s.naiveCount = 0;
        s.maeSeasonalNaive = Double.NaN;
        s.mase = Double.NaN;
        s.intervalCount = 10;
        s.coverage = 0.8;
        s.belowUpper = 0.9;
        s.phase = "LEARNING";
        return s;
    }

    /** Infinite predicted p99 (null) and a null reason. */
    public static ScalingAction action() {
        ScalingAction a = new ScalingAction();
        a.service = "checkout";
        a.generatedAt = T0;
        a.actionId = ScalingAction.actionId(a.service, a.generatedAt);
        a.currentReplicas = 4;
        a.desiredReplicas = 8;
        a.reason = null;
        a.forecastRps = 250.5;
        a.forecastUpper = 300;
        a.horizon = "PT15M";
        a.slo = "p99<=250ms";
        a.predictedP99AtDesired = Double.POSITIVE_INFINITY;
        a.utilisationAtDesired = 0.75;
        a.serviceRate = 50;
        a.model = "seasonal-v1/DAILY+mmc";
        a.validUntil = a.generatedAt + 900_000;
        a.mode = ScalingAction.MODE_SHADOW;
        return a;
    }

    /** Firing: ends_at, incident_id and caused_by null; labels given out of order; a NaN contribution. */
    public static Alert firingAlert() {
        Alert a = new Alert();
        a.alertId = Alert.fingerprint("checkout", "/pay", "p99_ms", "seasonal");
        a.status = Alert.FIRING;
        a.severity = "warning";
        a.detector = "seasonal";
        a.signal = "p99_ms";
        a.service = "checkout";
        a.endpoint = "/pay";
        a.value = 900;
        a.expected = 200.5;
        a.lower = Double.NaN;
        a.upper = 400;
        a.score = 0.97;
        a.attribution.add(new Attribution("p99_ms", 5.2));
        a.attribution.add(new Attribution("error_rate", Double.NaN));
        a.startsAt = T0 + 1;
        a.windowStart = T0;
        a.windowEnd = T0 + 10_000;
        a.labels.put("zone", "eu-1");
        a.labels.put("team", "payments");
        a.modelVersion = "seasonal-v1";
        return a;
    }

    static Alert resolvedAlert() {
        Alert a = firingAlert();
        a.status = Alert.RESOLVED;
        a.attribution.clear();
        a.labels.clear();
        a.lower = 100;
        a.endsAt = T0 + 60_000;
        a.modelVersion = null;
        a.incidentId = "inc-1";
        a.causedBy = "payments-db";
        return a;
    }

    public static DeadLetter textDeadLetter() {
        DeadLetter d = DeadLetter.of(DeadLetterReason.NEGATIVE_DURATION, "duration_ms is -3.0", "telemetry", 2,
                1234, T0 + 123, "{\"type\":\"span\",\"name\":\"caf\u00e9 \\\"x\\\"\"}".getBytes(StandardCharsets.UTF_8));
        d.elementIndex = 3;
        return d;
    }

    /** Invalid UTF-8 (payload_base64) and too large (payload_truncated). */
    static DeadLetter binaryTruncatedDeadLetter() {
        byte[] payload = new byte[DeadLetter.MAX_PAYLOAD_BYTES + 10];
        for (int i = 0; i < payload.length; i++) payload[i] = (byte) (i * 31);
        return DeadLetter.of(DeadLetterReason.TOO_LARGE, "record is 65546 bytes", "telemetry", 0, 7, T0, payload);
    }

    /** No detail, no topic, no payload: those fields are left out. */
    static DeadLetter bareDeadLetter() {
        return DeadLetter.of(DeadLetterReason.ELASTICSEARCH_REJECTED, null, null, -1, -1, T0, null);
    }
    /**
     * An open incident of three member alerts (one occurrence twice): ranked causes (a NaN score is null, a null
     * explanation, text that needs escaping), a blast radius of two callers, not resolved (null) nor merged (null).
     */
    public static Incident openIncident() {
        Incident i = new Incident();
        i.incidentId = Incident.incidentId("34b8eb6e35c0a105", T0 + 1);
        i.status = Incident.OPEN;
        i.openedAt = T0 + 1;
        i.updatedAt = T0 + 90_250;
        i.services = new ArrayList<>(List.of("checkout", "frontend", "payments-db"));
        i.alertIds = new ArrayList<>(List.of("34b8eb6e35c0a105", "5f0c1d2e3a4b5c6d", "9a8b7c6d5e4f3a2b"));
        i.alertCount = 4;
        i.firingCount = 3;
        i.lastAlertAt = T0 + 60_000;
        i.topCause = "payments-db";
        i.rootCauses = new ArrayList<>(List.of(
                new Incident.Cause("payments-db", 0.8125, "anomaly 0.97 on p99_ms, \"first\" by 30 s; caf\u00e9"),
                new Incident.Cause("checkout", 0.25, null),
                new Incident.Cause("frontend", Double.NaN, "symptom")));
        i.blastRadius = new ArrayList<>(List.of(new Incident.Blast("checkout", 1, 2),
                new Incident.Blast("frontend", 2, 1)));
        return i;
    }

    /**
     * A resolved incident, merged into an older one: resolved_at and merged_into set, no causes, no blast radius,
     * no top cause, no firing member.
     */
    static Incident resolvedIncident() {
        Incident i = new Incident();
        i.incidentId = Incident.incidentId("5f0c1d2e3a4b5c6d", T0 + 30_000);
        i.status = Incident.RESOLVED;
        i.openedAt = T0 + 30_000;
        i.updatedAt = T0 + 300_000;
        i.resolvedAt = T0 + 300_000;
        i.mergedInto = Incident.incidentId("34b8eb6e35c0a105", T0 + 1);
        i.services = new ArrayList<>(List.of("cart"));
        i.alertIds = new ArrayList<>(List.of("5f0c1d2e3a4b5c6d"));
        i.alertCount = 1;
        i.firingCount = 0;
        i.lastAlertAt = T0 + 30_000;
        return i;
    }
}
