package io.hawkeye.stats;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.hawkeye.json.EpochMillis;
import io.hawkeye.json.OutputRecord;
import io.hawkeye.json.RecordJson;
import io.hawkeye.telemetry.SeriesKeys;

/**
 * Calls on one edge caller → callee over one event-time window, seen from both sides: the caller's client span of
 * each call ({@code kind: client}) and, where the callee emitted one, the callee's server span of the same call
 * (its {@code parent_id} is the client span's {@code span_id}). The <b>gap</b> of a call is client − server time:
 * time spent outside the callee (network, proxies, connection pools, the caller's own client stack). A rising gap
 * on every call into a service points at the way to it; on every call a service makes, at the caller
 * (docs/rca.md, "Edges"). A Flink POJO; {@link #toJson()} is the format of topic {@code hawkeye.call-edges}.
 *
 * <p>Percentiles come from DDSketches within {@code relative_accuracy} (clamped to the exact range); server and
 * gap percentiles are over the {@code matched} calls only and null when there are none.
 */
@JsonPropertyOrder({"series_id", "caller", "callee", "window_start", "window_end", "calls", "errors", "matched",
    "client_p50_ms", "client_p99_ms", "server_p50_ms", "server_p99_ms", "gap_p50_ms", "gap_p99_ms",
    "relative_accuracy"})
public class CallEdgeStats extends OutputRecord {
    public String seriesId;
    public String caller;
    public String callee;
    @EpochMillis public long windowStart;
    @EpochMillis public long windowEnd;
    /** Client spans of the edge in the window. */
    public long calls;
    /** Of those, failed ones (client-side status). */
    public long errors;
    /** Calls whose server span in the callee was seen. */
    public long matched;
    public double clientP50Ms;
    public double clientP99Ms;
    public double serverP50Ms = Double.NaN;
    public double serverP99Ms = Double.NaN;
    public double gapP50Ms = Double.NaN;
    public double gapP99Ms = Double.NaN;
    public double relativeAccuracy;

    public CallEdgeStats() {}

    /**
     * The statistics of {@code n} calls: client durations, and for the first {@code matched} of them (by the
     * caller's ordering, {@code server[i]} belongs to {@code client[i]}) the server durations. A gap below zero (the
     * two sides' clocks round differently) counts as zero.
     */
    public static CallEdgeStats of(String caller, String callee, long windowStart, long windowEnd, double[] client,
            boolean[] error, double[] server, double relativeAccuracy) {
        CallEdgeStats e = new CallEdgeStats();
        e.caller = caller;
        e.callee = callee;
        e.seriesId = SeriesKeys.join(caller, callee);
        e.windowStart = windowStart;
        e.windowEnd = windowEnd;
        e.relativeAccuracy = relativeAccuracy;
        StatsAccumulator c = new StatsAccumulator(relativeAccuracy), s = new StatsAccumulator(relativeAccuracy),
                g = new StatsAccumulator(relativeAccuracy);
        for (int i = 0; i < client.length; i++) {
            c.add(client[i], windowStart, error[i]);
            if (!Double.isNaN(server[i])) {
                s.add(server[i], windowStart, false);
                g.add(Math.max(0, client[i] - server[i]), windowStart, false);
            }
        }
        e.calls = c.count();
        e.errors = c.errors();
        e.matched = s.count();
        e.clientP50Ms = c.quantile(0.5);
        e.clientP99Ms = c.quantile(0.99);
        e.serverP50Ms = s.quantile(0.5);
        e.serverP99Ms = s.quantile(0.99);
        e.gapP50Ms = g.quantile(0.5);
        e.gapP99Ms = g.quantile(0.99);
        return e;
    }

    /** Elasticsearch document id: one document per edge and window. */
    public String documentId() {
        return SeriesKeys.documentId(caller, callee, windowStart);
    }

    public static CallEdgeStats fromJson(byte[] json) {
        return RecordJson.read(json, CallEdgeStats.class);
    }
}
