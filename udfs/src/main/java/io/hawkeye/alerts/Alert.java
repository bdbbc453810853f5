package io.hawkeye.alerts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One alert, the same model for every detector (seasonal, rules, multivariate). A Flink POJO; {@link #toJson()}
 * is the format of topic {@code hawkeye.alerts} (key = {@code alert_id}) and of index {@code hawkeye-alerts-*}
 * (document id = {@link #documentId()}, updated in place as the alert updates and resolves).
 */
public class Alert {
    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";

    /** Stable fingerprint of (service, endpoint, signal, detector): {@link #fingerprint}. */
    public String alertId;
    public String status;
    public String severity;
    public String detector;
    public String signal;
    public String service;
    public String endpoint;
    public double value;
    public double expected;
    public double lower;
    public double upper;
    public double score;
    public List<Attribution> attribution = new ArrayList<>();
    public long startsAt;
    /** 0 while firing. */
    public long endsAt;
    public long windowStart;
    public long windowEnd;
    public Map<String, String> labels = new TreeMap<>();
    public String modelVersion;
    /** Set by incident correlation (a later stage); null here. */
    public String incidentId;
    /**
     * Set by incident correlation on a symptom alert: the incident's top root-cause candidate (a service), when
     * it is not this alert's service; null otherwise.
     */
    public String causedBy;

    public Alert() {}

    /** SHA-1 of {@code service|endpoint|signal|detector}, hex, first 16 characters (64 bits). */
    public static String fingerprint(String service, String endpoint, String signal, String detector) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            byte[] h = md.digest((service + "|" + endpoint + "|" + signal + "|" + detector)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Elasticsearch document id: one document per alert occurrence, updated in place. */
    public String documentId() {
        return alertId + "|" + startsAt;
    }

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("alert_id", alertId);
            g.writeStringField("status", status);
            g.writeStringField("severity", severity);
            g.writeStringField("detector", detector);
            g.writeStringField("signal", signal);
            g.writeStringField("service", service);
            g.writeStringField("endpoint", endpoint);
            number(g, "value", value);
            number(g, "expected", expected);
            number(g, "lower", lower);
            number(g, "upper", upper);
            number(g, "score", score);
            g.writeArrayFieldStart("attribution");
            for (Attribution a : attribution) {
                g.writeStartObject();
                g.writeStringField("feature", a.feature);
                number(g, "contribution", a.contribution);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("starts_at", Instant.ofEpochMilli(startsAt).toString());
            if (endsAt > 0) g.writeStringField("ends_at", Instant.ofEpochMilli(endsAt).toString());
            else g.writeNullField("ends_at");
            g.writeStringField("window_start", Instant.ofEpochMilli(windowStart).toString());
            g.writeStringField("window_end", Instant.ofEpochMilli(windowEnd).toString());
            g.writeObjectFieldStart("labels");
            for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            if (modelVersion != null) g.writeStringField("model_version", modelVersion);
            else g.writeNullField("model_version");
            if (incidentId != null) g.writeStringField("incident_id", incidentId);
            else g.writeNullField("incident_id");
            if (causedBy != null) g.writeStringField("caused_by", causedBy);
            else g.writeNullField("caused_by");
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void number(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isFinite(v)) g.writeNumberField(name, v);
        else g.writeNullField(name);
    }

    public static Alert fromJson(byte[] json) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        Alert a = new Alert();
        a.alertId = text(n, "alert_id");
        a.status = text(n, "status");
        a.severity = text(n, "severity");
        a.detector = text(n, "detector");
        a.signal = text(n, "signal");
        a.service = text(n, "service");
        a.endpoint = text(n, "endpoint");
        a.value = dbl(n, "value");
        a.expected = dbl(n, "expected");
        a.lower = dbl(n, "lower");
        a.upper = dbl(n, "upper");
        a.score = dbl(n, "score");
        for (JsonNode x : n.path("attribution")) {
            a.attribution.add(new Attribution(x.path("feature").asText(), dbl(x, "contribution")));
        }
        a.startsAt = time(n, "starts_at");
        a.endsAt = time(n, "ends_at");
        a.windowStart = time(n, "window_start");
        a.windowEnd = time(n, "window_end");
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("labels").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            a.labels.put(e.getKey(), e.getValue().asText());
        }
        a.modelVersion = text(n, "model_version");
        a.incidentId = text(n, "incident_id");
        a.causedBy = text(n, "caused_by");
        return a;
    }

    private static String text(JsonNode n, String f) {
        return n.hasNonNull(f) ? n.get(f).asText() : null;
    }

    private static double dbl(JsonNode n, String f) {
        return n.hasNonNull(f) ? n.get(f).asDouble() : Double.NaN;
    }

    private static long time(JsonNode n, String f) {
        if (!n.hasNonNull(f)) return 0;
        JsonNode v = n.get(f);
        return v.isNumber() ? v.asLong() : Instant.parse(v.asText()).toEpochMilli();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Alert a)) return false;
        return Double.compare(value, a.value) == 0 && Double.compare(expected, a.expected) == 0
                && Double.compare(lower, a.lower) == 0 && Double.compare(upper, a.upper) == 0
                && Double.compare(score, a.score) == 0 && startsAt == a.startsAt && endsAt == a.endsAt
                && windowStart == a.windowStart && windowEnd == a.windowEnd && Objects.equals(alertId, a.alertId)
                && Objects.equals(status, a.status) && Objects.equals(severity, a.severity)
                && Objects.equals(detector, a.detector) && Objects.equals(signal, a.signal)
                && Objects.equals(service, a.service) && Objects.equals(endpoint, a.endpoint)
                && Objects.equals(attribution, a.attribution) && Objects.equals(labels, a.labels)
                && Objects.equals(modelVersion, a.modelVersion) && Objects.equals(incidentId, a.incidentId)
                && Objects.equals(causedBy, a.causedBy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alertId, status, startsAt, windowStart);
    }

    @Override
    public String toString() {
        return "Alert{" + alertId + " " + status + " " + severity + " " + detector + " " + service + "/" + endpoint
                + " " + signal + " value=" + value + " score=" + score + " window=" + Instant.ofEpochMilli(windowStart)
                + "}";
    }
}
