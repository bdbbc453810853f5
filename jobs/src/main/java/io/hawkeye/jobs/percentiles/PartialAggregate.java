package io.hawkeye.jobs.percentiles;

import io.hawkeye.stats.StatsSnapshot;
import java.util.Objects;

/**
 * The statistics of one series in one window, as seen by one pre-aggregator between two flushes. {@code name} is
 * the endpoint of a span series or the metric name of a metric series. A Flink POJO.
 */
public class PartialAggregate {
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

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof PartialAggregate p)) return false;
        return windowStart == p.windowStart && windowEnd == p.windowEnd && Objects.equals(service, p.service)
                && Objects.equals(name, p.name) && Objects.equals(unit, p.unit) && Objects.equals(stats, p.stats);
    }

    @Override
    public int hashCode() {
        return Objects.hash(service, name, windowStart);
    }

    @Override
    public String toString() {
        return "Partial{" + service + "|" + name + " @" + windowStart + " " + stats + "}";
    }
}
