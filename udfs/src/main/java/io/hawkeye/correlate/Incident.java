package io.hawkeye.correlate;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.hawkeye.json.EpochMillisOrNull;
import io.hawkeye.json.OutputRecord;
import io.hawkeye.json.RecordJson;
import io.hawkeye.json.ValueRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A group of correlated alerts, as published on every change to topic {@code hawkeye.incidents} (key =
 * {@code incident_id}) and index {@code hawkeye-incidents} (document id = {@code incident_id}, replaced). Times
 * are event time (epoch ms; 0 = unset, written as null). A Flink POJO; {@link #toJson()} (the shared
 * {@link RecordJson} codec) writes every field, null when not set.
 */
@JsonPropertyOrder({"incident_id", "status", "opened_at", "updated_at", "resolved_at", "merged_into", "services",
    "alert_ids", "alert_count", "firing_count", "last_alert_at", "top_cause", "root_causes", "blast_radius"})
public class Incident extends OutputRecord {
    public static final String OPEN = "open";
    public static final String RESOLVED = "resolved";

    public String incidentId;
    public String status;
    @EpochMillisOrNull public long openedAt;
    @EpochMillisOrNull public long updatedAt;
    @EpochMillisOrNull public long resolvedAt;
    /** Set when this incident was merged into an older one (it resolves with that reason). */
    public String mergedInto;
    /** Services with member alerts, sorted. */
    @JsonSetter(nulls = Nulls.AS_EMPTY)
    public List<String> services = new ArrayList<>();
    /** Distinct {@code alert_id}s of the members, sorted. */
    @JsonSetter(nulls = Nulls.AS_EMPTY)
    public List<String> alertIds = new ArrayList<>();
    /** Member alert occurrences ({@code alert_id|starts_at}). */
    public int alertCount;
    public int firingCount;
    /** Latest {@code starts_at} of a member: the join window is measured from it. */
    @EpochMillisOrNull public long lastAlertAt;
    public String topCause;
    /** Best first. */
    @JsonSetter(nulls = Nulls.AS_EMPTY)
    public List<Cause> rootCauses = new ArrayList<>();
    /** Transitive callers of the top cause that have member alerts, nearest first. */
    @JsonSetter(nulls = Nulls.AS_EMPTY)
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

    /** One root-cause candidate; a non-finite score is written as null (and reads back as NaN). */
    @JsonPropertyOrder({"service", "score", "explanation"})
    public static class Cause extends ValueRecord {
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
        public String toString() {
            return service + "=" + score;
        }
    }

    /** One affected caller. */
    @JsonPropertyOrder({"service", "hops", "alert_count"})
    public static class Blast extends ValueRecord {
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
        public String toString() {
            return service + "@" + hops + "x" + alertCount;
        }
    }

    public Incident copy() {
        return fromJson(toJson());
    }

    /** @throws IllegalArgumentException on malformed JSON */
    public static Incident fromJson(byte[] json) {
        return RecordJson.read(json, Incident.class);
    }
}
