package io.hawkeye.stats;

import io.hawkeye.json.JsonRecords;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * Statistics of one metric (service, metric name) over one event-time window, across the service's instances:
 * count, min, mean, max, last (the sample with the latest timestamp) and p95 (DDSketch, within
 * {@code relativeAccuracy}). A Flink POJO; {@link #toJson()} is the format of topic {@code hawkeye.metric-stats}.
 */
public class MetricStats {
    public String seriesId;
    public String service;
    public String name;
    public String unit;
    public long windowStart;
    public long windowEnd;
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
        m.seriesId = service + "|" + name;
        m.windowStart = windowStart;
        m.windowEnd = windowEnd;
        m.count = s.count;
        m.min = s.min;
        m.mean = s.mean();
        m.max = s.max;
        m.last = s.lastValue;
        m.p95 = WindowStats.clamp(s.decodeSketch().getValueAtQuantile(0.95), s.min, s.max);
        m.relativeAccuracy = s.relativeAccuracy;
        m.revision = revision;
        return m;
    }

    public String documentId() {
        return seriesId + "|" + windowStart;
    }

    public byte[] toJson() {
        return JsonRecords.write(g -> {
            g.writeStringField("series_id", seriesId);
            g.writeStringField("service", service);
            g.writeStringField("name", name);
            if (unit != null) g.writeStringField("unit", unit);
            g.writeStringField("window_start", Instant.ofEpochMilli(windowStart).toString());
            g.writeStringField("window_end", Instant.ofEpochMilli(windowEnd).toString());
            g.writeNumberField("count", count);
            JsonRecords.number(g, "min", min);
            JsonRecords.number(g, "mean", mean);
            JsonRecords.number(g, "max", max);
            JsonRecords.number(g, "last", last);
            JsonRecords.number(g, "p95", p95);
            g.writeNumberField("relative_accuracy", relativeAccuracy);
            g.writeNumberField("revision", revision);
        });
    }

    public static MetricStats fromJson(byte[] json) {
        JsonNode n = JsonRecords.read(json);
        MetricStats m = new MetricStats();
        m.seriesId = n.path("series_id").asText();
        m.service = n.path("service").asText();
        m.name = n.path("name").asText();
        m.unit = n.hasNonNull("unit") ? n.get("unit").asText() : null;
        m.windowStart = JsonRecords.time(n.path("window_start"));
        m.windowEnd = JsonRecords.time(n.path("window_end"));
        m.count = n.path("count").asLong();
        m.min = JsonRecords.dbl(n.get("min"));
        m.mean = JsonRecords.dbl(n.get("mean"));
        m.max = JsonRecords.dbl(n.get("max"));
        m.last = JsonRecords.dbl(n.get("last"));
        m.p95 = JsonRecords.dbl(n.get("p95"));
        m.relativeAccuracy = JsonRecords.dbl(n.get("relative_accuracy"));
        m.revision = n.path("revision").asInt();
        return m;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof MetricStats m)) return false;
        return windowStart == m.windowStart && windowEnd == m.windowEnd && count == m.count
                && revision == m.revision && Double.compare(min, m.min) == 0 && Double.compare(mean, m.mean) == 0
                && Double.compare(max, m.max) == 0 && Double.compare(last, m.last) == 0
                && Double.compare(p95, m.p95) == 0 && Double.compare(relativeAccuracy, m.relativeAccuracy) == 0
                && Objects.equals(seriesId, m.seriesId) && Objects.equals(service, m.service)
                && Objects.equals(name, m.name) && Objects.equals(unit, m.unit);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seriesId, windowStart, count, revision);
    }

    @Override
    public String toString() {
        return "MetricStats{" + seriesId + " @" + Instant.ofEpochMilli(windowStart) + " count=" + count + "}";
    }
}
