package io.hawkeye.correlate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An open incident in state: the published record, the keys ({@code alert_id|starts_at}) of its member alert
 * occurrences (the members themselves are {@link Member} entries of their own, so that an alert's update does not
 * rewrite the whole incident's alerts), when it resolves (event time; 0 while any member fires), when its pending
 * changes are published (event time; 0 = nothing pending). A Flink POJO.
 */
public class IncidentState {
    public Incident incident;
    /** The partition label value of its alerts (null when not partitioned). */
    public String partition;
    public List<String> occurrences = new ArrayList<>();
    public long resolveAt;
    public long flushAt;
    /** The ranking's inputs changed since it was computed: a new member, a higher peak score or a merge. */
    public boolean rerank;

    public IncidentState() {}

    @Override
    public boolean equals(Object o) {
        return o instanceof IncidentState s && resolveAt == s.resolveAt && flushAt == s.flushAt && rerank == s.rerank
                && Objects.equals(incident, s.incident) && Objects.equals(occurrences, s.occurrences);
    }

    @Override
    public int hashCode() {
        return Objects.hash(incident, resolveAt, flushAt);
    }
}
