package io.hawkeye.correlate;

import io.hawkeye.alerts.Alert;
import java.io.Serializable;

/**
 * The parameters of the incident rules ({@link IncidentBook}). Durations in milliseconds of event time.
 *
 * @param windowMs         join window: an alert joins an incident when it starts within this of its latest alert
 *                         (and no earlier than this before its first)
 * @param maxHops          maximum call-path distance (callers or callees, transitively) to an incident's services;
 *                         also the reach of the ranking subgraph (the incident's services and their callees)
 * @param maxAgeMs         an incident takes new alerts only while they start within this of its {@code opened_at}
 * @param maxServices      an incident with this many services takes new alerts only on those services
 * @param maxAlerts        an incident with this many member alert occurrences takes no new ones
 * @param quietPeriodMs    an incident resolves this long after all its alerts resolved
 * @param tickMs           changes of an incident are published at most once per tick (the end of each window of
 *                         this length)
 * @param suppressSymptoms set {@code caused_by} (the incident's top cause) on the alerts of other services
 * @param maxRootCauses    length of an incident's {@code root_causes} list
 * @param partitionLabel   null: alerts join any incident; else the alert label whose value partitions the incidents
 */
public record IncidentRules(long windowMs, int maxHops, long maxAgeMs, int maxServices, int maxAlerts,
        long quietPeriodMs, long tickMs, boolean suppressSymptoms, int maxRootCauses, String partitionLabel)
        implements Serializable {

    public IncidentRules {
        if (windowMs <= 0 || maxHops < 0 || maxAgeMs <= 0 || maxServices <= 0 || maxAlerts <= 0 || quietPeriodMs < 0
                || tickMs <= 0 || maxRootCauses <= 0) {
            throw new IllegalArgumentException("invalid incident rules");
        }
        if (partitionLabel != null && partitionLabel.isBlank()) partitionLabel = null;
    }

    /** The alert's partition value ("" when it lacks the label); null when not partitioned. */
    public String partitionOf(Alert a) {
        return partitionOf(partitionLabel, a);
    }

    /** The value of label {@code label} of {@code a} ("" when it lacks it); null when {@code label} is null. */
    public static String partitionOf(String label, Alert a) {
        if (label == null) return null;
        String v = a.labels == null ? null : a.labels.get(label);
        return v == null ? "" : v;
    }
}
