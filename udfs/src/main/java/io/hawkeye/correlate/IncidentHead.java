package io.hawkeye.correlate;

import io.hawkeye.json.ValueRecord;

/**
 * What the join test needs of an open incident, kept next to it so that testing the candidates of an alert does
 * not read (deserialize, on RocksDB) every candidate's whole state. A Flink POJO.
 */
public class IncidentHead extends ValueRecord {
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
}
