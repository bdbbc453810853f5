package io.hawkeye.jobs.percentiles;

import io.hawkeye.stats.StatsSnapshot;
import java.util.Objects;

/** Keyed state of one open window: merged statistics and how often the window has fired. A Flink POJO. */
public class WindowState {
    public String service;
    /** Endpoint or metric name; null for a service rollup. */
    public String name;
    public StatsSnapshot stats;
    public String unit;
    /** -1 until the window fires; then the revision of the last result emitted. */
    public int revision = -1;

    public WindowState() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof WindowState w)) return false;
        return revision == w.revision && Objects.equals(service, w.service) && Objects.equals(name, w.name)
                && Objects.equals(stats, w.stats) && Objects.equals(unit, w.unit);
    }

    @Override
    public int hashCode() {
        return Objects.hash(service, name, stats, unit, revision);
    }
}
