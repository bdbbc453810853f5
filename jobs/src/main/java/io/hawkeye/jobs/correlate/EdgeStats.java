package io.hawkeye.jobs.correlate;

import io.hawkeye.json.ValueRecord;

/**
 * Calls on one edge caller → callee in one window: the pre-aggregate (and the window accumulator) of the
 * dependency-graph learner. A Flink POJO.
 */
public class EdgeStats extends ValueRecord {
    public String caller;
    public String callee;
    public long windowStart;
    public long windowEnd;
    public long calls;
    public long errors;
    public double latencySumMs;

    public EdgeStats() {}

    public String key() {
        return io.hawkeye.telemetry.SeriesKeys.join(caller, callee);
    }
}
