package io.hawkeye.jobs.correlate;

import com.fasterxml.jackson.annotation.JsonGetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.hawkeye.json.EpochMillisOrNull;
import io.hawkeye.json.OutputRecord;
import io.hawkeye.json.RecordJson;

/**
 * One edge of the dependency graph, as published to topic {@code hawkeye.topology} (compacted, key =
 * {@link #documentId()}) and index {@code hawkeye-topology} (document id = {@link #documentId()}, replaced on
 * every update). Rates are over the last window in which the edge was seen; a static edge (from the topology
 * file) never expires and has zero rates until traffic is seen on it. {@code active = false} marks an expired
 * learned edge (its last record; consumers drop the edge). A Flink POJO; {@link #toJson()} (the shared
 * {@link RecordJson} codec) writes the document id as {@code edge_id}, non-finite rates and unset times as null.
 */
@JsonPropertyOrder({"edge_id", "caller", "callee", "calls_per_s", "error_rate", "mean_latency_ms", "last_seen",
    "static", "active", "updated_at"})
public class TopologyEdge extends OutputRecord {
    public String caller;
    public String callee;
    public double callsPerS;
    public double errorRate;
    public double meanLatencyMs;
    /** End of the last window with calls on this edge (epoch ms); 0 = never seen. */
    @EpochMillisOrNull public long lastSeen;
    /** From the topology file: never expires. JSON {@code static}. */
    @JsonProperty("static")
    public boolean staticEdge;
    /** Absent or null in JSON: true. */
    @JsonSetter(nulls = Nulls.SKIP)
    public boolean active = true;
    /** Event time of this snapshot (epoch ms). */
    @EpochMillisOrNull public long updatedAt;

    public TopologyEdge() {}

    public static TopologyEdge of(String caller, String callee, boolean staticEdge) {
        TopologyEdge e = new TopologyEdge();
        e.caller = caller;
        e.callee = callee;
        e.staticEdge = staticEdge;
        return e;
    }

    @JsonGetter("edge_id")
    public String documentId() {
        return io.hawkeye.telemetry.SeriesKeys.documentId(caller, callee);
    }

    public TopologyEdge copy() {
        TopologyEdge e = of(caller, callee, staticEdge);
        e.callsPerS = callsPerS;
        e.errorRate = errorRate;
        e.meanLatencyMs = meanLatencyMs;
        e.lastSeen = lastSeen;
        e.active = active;
        e.updatedAt = updatedAt;
        return e;
    }

    /** @throws IllegalArgumentException on malformed JSON; {@code edge_id} is derived, not read */
    public static TopologyEdge fromJson(byte[] json) {
        return RecordJson.read(json, TopologyEdge.class);
    }
}
