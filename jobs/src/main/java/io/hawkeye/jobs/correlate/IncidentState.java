package io.hawkeye.jobs.correlate;

import io.hawkeye.alerts.Alert;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** An open incident in state: the published record, its member alerts (latest version, as annotated), and the
 * event time at which it resolves (0 while any member fires). A Flink POJO. */
public class IncidentState {
    public Incident incident;
    public List<Alert> members = new ArrayList<>();
    public long resolveAt;

    public IncidentState() {}

    @Override
    public boolean equals(Object o) {
        return o instanceof IncidentState s && resolveAt == s.resolveAt && Objects.equals(incident, s.incident)
                && Objects.equals(members, s.members);
    }

    @Override
    public int hashCode() {
        return Objects.hash(incident, resolveAt);
    }
}
