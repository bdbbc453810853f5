package io.hawkeye.correlate;

import io.hawkeye.alerts.Alert;
import io.hawkeye.alerts.Attribution;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One member alert occurrence of an incident in state: the incident, the latest record (as annotated) and the
 * peak score over its firing records, on which the incident is ranked — a resolution record carries no score, and
 * a root cause whose alert resolved while its callers still fire must stay a root cause. A Flink POJO.
 */
public class Member {
    public String incidentId;
    public Alert alert;
    /** Largest finite score of the occurrence's firing records; NaN before the first one. */
    public double peakScore = Double.NaN;
    /**
     * Attribution of the record with the peak score: the evidence is that record's, whole — a later, weaker update
     * (below the detector's attribution threshold) carries none and would leave a multivariate alert's kind unknown.
     */
    public List<Attribution> peakAttribution;

    public Member() {}

    /** Takes {@code a} as the latest record and folds its score into the peak. */
    void update(Alert a) {
        alert = a;
        if (!Alert.RESOLVED.equals(a.status) && Double.isFinite(a.score)
                && (Double.isNaN(peakScore) || a.score > peakScore)) {
            peakScore = a.score;
            peakAttribution = a.attribution == null ? null : new ArrayList<>(a.attribution);
        }
    }

    /** The evidence for ranking: service, signal (and attribution), onset and the peak score (the latest score
     * before any). */
    Alert evidence() {
        Alert e = new Alert();
        e.service = alert.service;
        e.signal = alert.signal;
        e.endpoint = alert.endpoint;
        e.labels = alert.labels;
        e.attribution = peakAttribution != null && !peakAttribution.isEmpty() ? peakAttribution : alert.attribution;
        e.startsAt = alert.startsAt;
        e.status = alert.status;
        e.score = Double.isNaN(peakScore) ? alert.score : peakScore;
        return e;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Member m && Double.compare(peakScore, m.peakScore) == 0
                && Objects.equals(incidentId, m.incidentId) && Objects.equals(alert, m.alert)
                && Objects.equals(peakAttribution, m.peakAttribution);
    }

    @Override
    public int hashCode() {
        return Objects.hash(incidentId, alert);
    }
}
