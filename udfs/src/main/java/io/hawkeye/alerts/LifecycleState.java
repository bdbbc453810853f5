package io.hawkeye.alerts;

import java.util.Objects;

/** Per-alert lifecycle state (a Flink POJO, 40 bytes). */
public class LifecycleState {
    public boolean firing;
    public int pending;
    public long pendingSince;
    public long startsAt;
    public int sinceUpdate;
    public int quiet;
    public long lastActiveEnd;

    public LifecycleState() {}

    public boolean idle() {
        return !firing && pending == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LifecycleState s && firing == s.firing && pending == s.pending
                && pendingSince == s.pendingSince && startsAt == s.startsAt && sinceUpdate == s.sinceUpdate
                && quiet == s.quiet && lastActiveEnd == s.lastActiveEnd;
    }

    @Override
    public int hashCode() {
        return Objects.hash(firing, pending, startsAt, quiet);
    }
}
