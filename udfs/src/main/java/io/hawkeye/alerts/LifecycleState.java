package io.hawkeye.alerts;

import io.hawkeye.json.ValueRecord;

/** Per-alert lifecycle state (a Flink POJO, 40 bytes). */
public class LifecycleState extends ValueRecord {
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
}
