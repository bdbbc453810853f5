package io.hawkeye.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.hawkeye.json.EpochMillis;
import io.hawkeye.json.OutputRecord;
import io.hawkeye.json.RecordJson;

/**
 * Request statistics of one series over one event-time window: per (service, endpoint), or per service
 * ({@code scope = "service"}, {@code endpoint = "_all"}) rolled up from the endpoint sketches. Latencies are in
 * milliseconds; percentiles come from a DDSketch and are within {@code relativeAccuracy} of the exact values.
 * {@code revision} is 0 for the on-time result and counts the updates caused by late (but allowed) events.
 * A Flink POJO; {@link #toJson()} is the format of topic {@code hawkeye.window-stats} and of the Elasticsearch
 * documents (the sketch, base64, is left out when null).
 */
@JsonPropertyOrder({"series_id", "scope", "service", "endpoint", "window_start", "window_end", "count", "errors",
    "error_rate", "rps", "min_ms", "mean_ms", "max_ms", "p50_ms", "p90_ms", "p95_ms", "p99_ms", "p999_ms",
    "relative_accuracy", "revision", "sketch"})
public class WindowStats extends OutputRecord {
    public static final String SCOPE_ENDPOINT = "endpoint";
    public static final String SCOPE_SERVICE = "service";
    /** The endpoint of a service-level rollup. */
    public static final String ALL_ENDPOINTS = "_all";
    public static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99, 0.999};

    public String seriesId;
    public String scope;
    public String service;
    public String endpoint;
    @EpochMillis public long windowStart;
    @EpochMillis public long windowEnd;
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
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public byte[] sketch;

    public WindowStats() {}

    public static String seriesId(String service, String endpoint) {
        return io.hawkeye.telemetry.SeriesKeys.join(service, endpoint);
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
        double[] q = s.quantiles(QUANTILES);
        w.p50Ms = q[0];
        w.p90Ms = q[1];
        w.p95Ms = q[2];
        w.p99Ms = q[3];
        w.p999Ms = q[4];
        w.relativeAccuracy = s.relativeAccuracy;
        w.revision = revision;
        w.sketch = s.sketch;
        return w;
    }

    /** Elasticsearch document id: the same window of the same series always maps to the same document. */
    public String documentId() {
        return io.hawkeye.telemetry.SeriesKeys.documentId(service, endpoint, windowStart);
    }

    public static WindowStats fromJson(byte[] json) {
        return RecordJson.read(json, WindowStats.class);
    }
}
