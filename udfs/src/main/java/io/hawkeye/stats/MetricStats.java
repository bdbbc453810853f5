package io.hawkeye.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.hawkeye.json.EpochMillis;
import io.hawkeye.json.OutputRecord;
import io.hawkeye.json.RecordJson;

/**
 * Statistics of one metric (service, metric name) over one event-time window, across the service's instances:
 * count, min, mean, max, last (the sample with the latest timestamp) and p95 (DDSketch, within
 * {@code relativeAccuracy}). A Flink POJO; {@link #toJson()} is the format of topic {@code hawkeye.metric-stats}
 * (the unit is left out when null).
 */
@JsonPropertyOrder({"series_id", "service", "name", "unit", "window_start", "window_end", "count", "min", "mean",
    "max", "last", "p95", "relative_accuracy", "revision"})
public class MetricStats extends OutputRecord {
    public String seriesId;
    public String service;
    public String name;
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public String unit;
    @EpochMillis public long windowStart;
    @EpochMillis public long windowEnd;
    public long count;
    public double min;
    public double mean;
    public double max;
    public double last;
    public double p95;
    public double relativeAccuracy;
    public int revision;

    public MetricStats() {}

    public static MetricStats of(String service, String name, String unit, long windowStart, long windowEnd,
            StatsSnapshot s, int revision) {
        MetricStats m = new MetricStats();
        m.service = service;
        m.name = name;
        m.unit = unit;
        m.seriesId = io.hawkeye.telemetry.SeriesKeys.join(service, name);
        m.windowStart = windowStart;
        m.windowEnd = windowEnd;
        m.count = s.count;
        m.min = s.min;
        m.mean = s.mean();
        m.max = s.max;
        m.last = s.lastValue;
        m.p95 = s.quantiles(0.95)[0];
        m.relativeAccuracy = s.relativeAccuracy;
        m.revision = revision;
        return m;
    }

    public String documentId() {
        return io.hawkeye.telemetry.SeriesKeys.documentId(service, name, windowStart);
    }

    public static MetricStats fromJson(byte[] json) {
        return RecordJson.read(json, MetricStats.class);
    }
}
