package io.hawkeye.correlate;

import java.util.Objects;

/**
 * What the join test needs of an open incident, kept next to it so that testing the candidates of an alert does
 * not read (deserialize, on RocksDB) every candidate's whole state. A Flink POJO.
 */
public class IncidentHead {
    public long openedAt;
    public long lastAlertAt;
    public int alerts;
    public int services;
    public String partition;

    public IncidentHead() {}

    static IncidentHead of(IncidentState s) {
        IncidentHead h = new IncidentHead();
        h.openedAt = s.incident.openedAt;
        h.lastAlertAt = s.incident.lastAlertAt;
        h.alerts = s.occurrences.size();
        h.services = s.incident.services.size();
        h.partition = s.partition;
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IncidentHead h && openedAt == h.openedAt && lastAlertAt == h.lastAlertAt
                && alerts == h.alerts && services == h.services && Objects.equals(partition, h.partition);
    }

    @Override
    public int hashCode() {
        return Objects.hash(openedAt, lastAlertAt, alerts, services);
    }
}
