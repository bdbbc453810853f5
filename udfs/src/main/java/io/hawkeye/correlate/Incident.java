package io.hawkeye.correlate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A group of correlated alerts, as published on every change to topic {@code hawkeye.incidents} (key =
 * {@code incident_id}) and index {@code hawkeye-incidents} (document id = {@code incident_id}, replaced). Times
 * are event time (epoch ms; 0 = unset). A Flink POJO.
 */
public class Incident {
    public static final String OPEN = "open";
    public static final String RESOLVED = "resolved";

    public String incidentId;
    public String status;
    public long openedAt;
    public long updatedAt;
    public long resolvedAt;
    /** Set when this incident was merged into an older one (it resolves with that reason). */
    public String mergedInto;
    /** Services with member alerts, sorted. */
    public List<String> services = new ArrayList<>();
    /** Distinct {@code alert_id}s of the members, sorted. */
    public List<String> alertIds = new ArrayList<>();
    /** Member alert occurrences ({@code alert_id|starts_at}). */
    public int alertCount;
    public int firingCount;
    /** Latest {@code starts_at} of a member: the join window is measured from it. */
    public long lastAlertAt;
    public String topCause;
    /** Best first. */
    public List<Cause> rootCauses = new ArrayList<>();
    /** Transitive callers of the top cause that have member alerts, nearest first. */
    public List<Blast> blastRadius = new ArrayList<>();

    public Incident() {}

    /** SHA-1 of the first alert's {@code alert_id|starts_at}, hex, first 16 characters. */
    public static String incidentId(String firstAlertId, long startsAt) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-1")
                    .digest((firstAlertId + "|" + startsAt).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One root-cause candidate. */
    public static class Cause {
        public String service;
        public double score;
        public String explanation;

        public Cause() {}

        public Cause(String service, double score, String explanation) {
            this.service = service;
            this.score = score;
            this.explanation = explanation;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cause c && Double.compare(score, c.score) == 0 && Objects.equals(service, c.service)
                    && Objects.equals(explanation, c.explanation);
        }

        @Override
        public int hashCode() {
            return Objects.hash(service, score);
        }

        @Override
        public String toString() {
            return service + "=" + score;
        }
    }

    /** One affected caller. */
    public static class Blast {
        public String service;
        public int hops;
        public int alertCount;

        public Blast() {}

        public Blast(String service, int hops, int alertCount) {
            this.service = service;
            this.hops = hops;
            this.alertCount = alertCount;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Blast b && hops == b.hops && alertCount == b.alertCount
                    && Objects.equals(service, b.service);
        }

        @Override
        public int hashCode() {
            return Objects.hash(service, hops, alertCount);
        }

        @Override
        public String toString() {
            return service + "@" + hops + "x" + alertCount;
        }
    }

    public Incident copy() {
        return fromJson(toJson());
    }

    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("incident_id", incidentId);
            g.writeStringField("status", status);
            Json.time(g, "opened_at", openedAt);
            Json.time(g, "updated_at", updatedAt);
            Json.time(g, "resolved_at", resolvedAt);
            Json.string(g, "merged_into", mergedInto);
            g.writeArrayFieldStart("services");
            for (String s : services) g.writeString(s);
            g.writeEndArray();
            g.writeArrayFieldStart("alert_ids");
            for (String s : alertIds) g.writeString(s);
            g.writeEndArray();
            g.writeNumberField("alert_count", alertCount);
            g.writeNumberField("firing_count", firingCount);
            Json.time(g, "last_alert_at", lastAlertAt);
            Json.string(g, "top_cause", topCause);
            g.writeArrayFieldStart("root_causes");
            for (Cause c : rootCauses) {
                g.writeStartObject();
                g.writeStringField("service", c.service);
                Json.number(g, "score", c.score);
                Json.string(g, "explanation", c.explanation);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("blast_radius");
            for (Blast b : blastRadius) {
                g.writeStartObject();
                g.writeStringField("service", b.service);
                g.writeNumberField("hops", b.hops);
                g.writeNumberField("alert_count", b.alertCount);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static Incident fromJson(byte[] json) {
        JsonNode n = Json.read(json);
        Incident i = new Incident();
        i.incidentId = Json.text(n, "incident_id");
        i.status = Json.text(n, "status");
        i.openedAt = Json.time(n, "opened_at");
        i.updatedAt = Json.time(n, "updated_at");
        i.resolvedAt = Json.time(n, "resolved_at");
        i.mergedInto = Json.text(n, "merged_into");
        n.path("services").forEach(x -> i.services.add(x.asText()));
        n.path("alert_ids").forEach(x -> i.alertIds.add(x.asText()));
        i.alertCount = n.path("alert_count").asInt();
        i.firingCount = n.path("firing_count").asInt();
        i.lastAlertAt = Json.time(n, "last_alert_at");
        i.topCause = Json.text(n, "top_cause");
        n.path("root_causes").forEach(x -> i.rootCauses.add(
                new Cause(Json.text(x, "service"), Json.dbl(x, "score"), Json.text(x, "explanation"))));
        n.path("blast_radius").forEach(x -> i.blastRadius.add(
                new Blast(Json.text(x, "service"), x.path("hops").asInt(), x.path("alert_count").asInt())));
        return i;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Incident i)) return false;
        return openedAt == i.openedAt && updatedAt == i.updatedAt && resolvedAt == i.resolvedAt
                && alertCount == i.alertCount && firingCount == i.firingCount && lastAlertAt == i.lastAlertAt
                && Objects.equals(incidentId, i.incidentId) && Objects.equals(status, i.status)
                && Objects.equals(mergedInto, i.mergedInto) && Objects.equals(services, i.services)
                && Objects.equals(alertIds, i.alertIds) && Objects.equals(topCause, i.topCause)
                && Objects.equals(rootCauses, i.rootCauses) && Objects.equals(blastRadius, i.blastRadius);
    }

    @Override
    public int hashCode() {
        return Objects.hash(incidentId, status, updatedAt, alertCount);
    }

    @Override
    public String toString() {
        return "Incident{" + incidentId + " " + status + " services=" + services + " alerts=" + alertCount
                + " top=" + topCause + (mergedInto != null ? " mergedInto=" + mergedInto : "") + "}";
    }
}
