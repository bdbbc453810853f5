package io.hawkeye.alerts;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.hawkeye.json.EpochMillis;
import io.hawkeye.json.EpochMillisOrNull;
import io.hawkeye.json.OutputRecord;
import io.hawkeye.json.RecordJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One alert, the same model for every detector (seasonal, rules, multivariate). A Flink POJO; {@link #toJson()}
 * is the format of topic {@code hawkeye.alerts} (key = {@code alert_id}) and of index {@code hawkeye-alerts-*}
 * (document id = {@link #documentId()}, updated in place as the alert updates and resolves). Every field is
 * written, null when not set ({@code ends_at} while firing); labels are sorted by name.
 */
@JsonPropertyOrder({"alert_id", "status", "severity", "detector", "signal", "service", "endpoint", "value",
    "expected", "lower", "upper", "score", "attribution", "starts_at", "ends_at", "window_start", "window_end",
    "labels", "model_version", "incident_id", "caused_by"})
public class Alert extends OutputRecord {
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
    @JsonSetter(nulls = Nulls.AS_EMPTY)
    public List<Attribution> attribution = new ArrayList<>();
    @EpochMillis public long startsAt;
    /** 0 while firing. */
    @EpochMillisOrNull public long endsAt;
    @EpochMillis public long windowStart;
    @EpochMillis public long windowEnd;
    @JsonSetter(nulls = Nulls.AS_EMPTY)
    @JsonDeserialize(as = TreeMap.class)
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
            byte[] h = md.digest(io.hawkeye.telemetry.SeriesKeys.join(service, endpoint, signal, detector)
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

    /** @throws IllegalArgumentException on malformed JSON */
    public static Alert fromJson(byte[] json) {
        return RecordJson.read(json, Alert.class);
    }
}
