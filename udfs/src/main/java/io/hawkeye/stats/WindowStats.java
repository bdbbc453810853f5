package io.hawkeye.stats;

import io.hawkeye.json.JsonRecords;
import com.datadoghq.sketch.ddsketch.DDSketch;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * Request statistics of one series over one event-time window: per (service, endpoint), or per service
 * ({@code scope = "service"}, {@code endpoint = "_all"}) rolled up from the endpoint sketches. Latencies are in
 * milliseconds; percentiles come from a DDSketch and are within {@code relativeAccuracy} of the exact values.
 * {@code revision} is 0 for the on-time result and counts the updates caused by late (but allowed) events.
 * A Flink POJO; {@link #toJson()} is the format of topic {@code hawkeye.window-stats} and of the Elasticsearch
 * documents.
 */
public class WindowStats {
    public static final String SCOPE_ENDPOINT = "endpoint";
    public static final String SCOPE_SERVICE = "service";
    /** The endpoint of a service-level rollup. */
    public static final String ALL_ENDPOINTS = "_all";
    public static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99, 0.999};

    public String seriesId;
    public String scope;
    public String service;
    public String endpoint;
    public long windowStart;
    public long windowEnd;
    public long count;
    public long errors;
    public double errorRate;
    public double rps;
    public double minMs;
    public double meanMs;
    public double maxMs;
    public double p50Ms;
    public double p90Ms;
    public double p95Ms;
    public double p99Ms;
    public double p999Ms;
    public double relativeAccuracy;
    public int revision;
    public byte[] sketch;

    public WindowStats() {}

    public static String seriesId(String service, String endpoint) {
        return service + "|" + endpoint;
    }

    public static WindowStats of(String scope, String service, String endpoint, long windowStart, long windowEnd,
            StatsSnapshot s, int revision) {
        WindowStats w = new WindowStats();
        w.scope = scope;
        w.service = service;
        w.endpoint = endpoint;
        w.seriesId = seriesId(service, endpoint);
        w.windowStart = windowStart;
        w.windowEnd = windowEnd;
        w.count = s.count;
        w.errors = s.errors;
        w.errorRate = s.count == 0 ? 0 : (double) s.errors / s.count;
        w.rps = s.count * 1000.0 / (windowEnd - windowStart);
        w.minMs = s.min;
        w.meanMs = s.mean();
        w.maxMs = s.max;
        DDSketch sketch = s.decodeSketch();
        double[] q = sketch.getValuesAtQuantiles(QUANTILES);
        // The sketch's bin representatives may fall a hair outside the exact range; clamp to the exact min/max.
        w.p50Ms = clamp(q[0], s.min, s.max);
        w.p90Ms = clamp(q[1], s.min, s.max);
        w.p95Ms = clamp(q[2], s.min, s.max);
        w.p99Ms = clamp(q[3], s.min, s.max);
        w.p999Ms = clamp(q[4], s.min, s.max);
        w.relativeAccuracy = s.relativeAccuracy;
        w.revision = revision;
        w.sketch = s.sketch;
        return w;
    }

    static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(max, v));
    }

    /** Elasticsearch document id: the same window of the same series always maps to the same document. */
    public String documentId() {
        return seriesId + "|" + windowStart;
    }

    public byte[] toJson() {
        return JsonRecords.write(g -> {
            g.writeStringField("series_id", seriesId);
            g.writeStringField("scope", scope);
            g.writeStringField("service", service);
            g.writeStringField("endpoint", endpoint);
            g.writeStringField("window_start", Instant.ofEpochMilli(windowStart).toString());
            g.writeStringField("window_end", Instant.ofEpochMilli(windowEnd).toString());
            g.writeNumberField("count", count);
            g.writeNumberField("errors", errors);
            JsonRecords.number(g, "error_rate", errorRate);
            JsonRecords.number(g, "rps", rps);
            JsonRecords.number(g, "min_ms", minMs);
            JsonRecords.number(g, "mean_ms", meanMs);
            JsonRecords.number(g, "max_ms", maxMs);
            JsonRecords.number(g, "p50_ms", p50Ms);
            JsonRecords.number(g, "p90_ms", p90Ms);
            JsonRecords.number(g, "p95_ms", p95Ms);
            JsonRecords.number(g, "p99_ms", p99Ms);
            JsonRecords.number(g, "p999_ms", p999Ms);
            g.writeNumberField("relative_accuracy", relativeAccuracy);
            g.writeNumberField("revision", revision);
            if (sketch != null) g.writeBinaryField("sketch", sketch);
        });
    }

    public static WindowStats fromJson(byte[] json) {
        JsonNode n = JsonRecords.read(json);
        WindowStats w = new WindowStats();
        w.seriesId = n.path("series_id").asText();
        w.scope = n.path("scope").asText();
        w.service = n.path("service").asText();
        w.endpoint = n.path("endpoint").asText();
        w.windowStart = JsonRecords.time(n.path("window_start"));
        w.windowEnd = JsonRecords.time(n.path("window_end"));
        w.count = n.path("count").asLong();
        w.errors = n.path("errors").asLong();
        w.errorRate = JsonRecords.dbl(n.get("error_rate"));
        w.rps = JsonRecords.dbl(n.get("rps"));
        w.minMs = JsonRecords.dbl(n.get("min_ms"));
        w.meanMs = JsonRecords.dbl(n.get("mean_ms"));
        w.maxMs = JsonRecords.dbl(n.get("max_ms"));
        w.p50Ms = JsonRecords.dbl(n.get("p50_ms"));
        w.p90Ms = JsonRecords.dbl(n.get("p90_ms"));
        w.p95Ms = JsonRecords.dbl(n.get("p95_ms"));
        w.p99Ms = JsonRecords.dbl(n.get("p99_ms"));
        w.p999Ms = JsonRecords.dbl(n.get("p999_ms"));
        w.relativeAccuracy = JsonRecords.dbl(n.get("relative_accuracy"));
        w.revision = n.path("revision").asInt();
        try {
            w.sketch = n.hasNonNull("sketch") ? n.get("sketch").binaryValue() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof WindowStats w)) return false;
        return windowStart == w.windowStart && windowEnd == w.windowEnd && count == w.count && errors == w.errors
                && revision == w.revision && Double.compare(errorRate, w.errorRate) == 0
                && Double.compare(rps, w.rps) == 0 && Double.compare(minMs, w.minMs) == 0
                && Double.compare(meanMs, w.meanMs) == 0 && Double.compare(maxMs, w.maxMs) == 0
                && Double.compare(p50Ms, w.p50Ms) == 0 && Double.compare(p90Ms, w.p90Ms) == 0
                && Double.compare(p95Ms, w.p95Ms) == 0 && Double.compare(p99Ms, w.p99Ms) == 0
                && Double.compare(p999Ms, w.p999Ms) == 0 && Double.compare(relativeAccuracy, w.relativeAccuracy) == 0
                && Objects.equals(seriesId, w.seriesId) && Objects.equals(scope, w.scope)
                && Objects.equals(service, w.service) && Objects.equals(endpoint, w.endpoint)
                && Arrays.equals(sketch, w.sketch);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seriesId, windowStart, count, revision);
    }

    @Override
    public String toString() {
        return "WindowStats{" + seriesId + " @" + Instant.ofEpochMilli(windowStart) + " count=" + count + " p99="
                + p99Ms + " rev=" + revision + "}";
    }
}
