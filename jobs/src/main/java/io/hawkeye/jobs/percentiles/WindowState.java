package io.hawkeye.jobs.percentiles;

import io.hawkeye.json.ValueRecord;
import io.hawkeye.stats.StatsSnapshot;

/** Keyed state of one open window: merged statistics and how often the window has fired. A Flink POJO. */
public class WindowState extends ValueRecord {
    public String service;
    /** Endpoint or metric name; null for a service rollup. */
    public String name;
    public StatsSnapshot stats;
    public String unit;
    /** -1 until the window fires; then the revision of the last result emitted. */
    public int revision = -1;

    public WindowState() {}
}
