package io.hawkeye.jobs.percentiles;

import io.hawkeye.json.ValueRecord;
import io.hawkeye.stats.StatsSnapshot;

/**
 * The statistics of one series in one window, as seen by one pre-aggregator between two flushes. {@code name} is
 * the endpoint of a span series or the metric name of a metric series. A Flink POJO.
 */
public class PartialAggregate extends ValueRecord {
    public String service;
    public String name;
    /** Unit of a metric series (the last one seen), null for spans. */
    public String unit;
    public long windowStart;
    public long windowEnd;
    public StatsSnapshot stats;

    public PartialAggregate() {}

    public PartialAggregate(String service, String name, String unit, long windowStart, long windowEnd,
            StatsSnapshot stats) {
        this.service = service;
        this.name = name;
        this.unit = unit;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.stats = stats;
    }
}
