package io.hawkeye.jobs.correlate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.hawkeye.correlate.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * One edge of the dependency graph, as published to topic {@code hawkeye.topology} (compacted, key =
 * {@link #documentId()}) and index {@code hawkeye-topology} (document id = {@link #documentId()}, replaced on
 * every update). Rates are over the last window in which the edge was seen; a static edge (from the topology
 * file) never expires and has zero rates until traffic is seen on it. {@code active = false} marks an expired
 * learned edge (its last record; consumers drop the edge). A Flink POJO.
 */
public class TopologyEdge {
    public String caller;
    public String callee;
    public double callsPerS;
    public double errorRate;
    public double meanLatencyMs;
    /** End of the last window with calls on this edge (epoch ms); 0 = never seen. */
    public long lastSeen;
    /** From the topology file: never expires. JSON {@code static}. */
    public boolean staticEdge;
    public boolean active = true;
    /** Event time of this snapshot (epoch ms). */
    public long updatedAt;

    public TopologyEdge() {}

    public static TopologyEdge of(String caller, String callee, boolean staticEdge) {
        TopologyEdge e = new TopologyEdge();
        e.caller = caller;
        e.callee = callee;
        e.staticEdge = staticEdge;
        return e;
    }

    public String documentId() {
        return caller + "|" + callee;
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

    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("edge_id", documentId());
            g.writeStringField("caller", caller);
            g.writeStringField("callee", callee);
            Json.number(g, "calls_per_s", callsPerS);
            Json.number(g, "error_rate", errorRate);
            Json.number(g, "mean_latency_ms", meanLatencyMs);
            Json.time(g, "last_seen", lastSeen);
            g.writeBooleanField("static", staticEdge);
            g.writeBooleanField("active", active);
            Json.time(g, "updated_at", updatedAt);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static TopologyEdge fromJson(byte[] json) {
        JsonNode n = Json.read(json);
        TopologyEdge e = of(Json.text(n, "caller"), Json.text(n, "callee"), n.path("static").asBoolean(false));
        e.callsPerS = Json.dbl(n, "calls_per_s");
        e.errorRate = Json.dbl(n, "error_rate");
        e.meanLatencyMs = Json.dbl(n, "mean_latency_ms");
        e.lastSeen = Json.time(n, "last_seen");
        e.active = n.path("active").asBoolean(true);
        e.updatedAt = Json.time(n, "updated_at");
        return e;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof TopologyEdge e)) return false;
        return Double.compare(callsPerS, e.callsPerS) == 0 && Double.compare(errorRate, e.errorRate) == 0
                && Double.compare(meanLatencyMs, e.meanLatencyMs) == 0 && lastSeen == e.lastSeen
                && staticEdge == e.staticEdge && active == e.active && updatedAt == e.updatedAt
                && Objects.equals(caller, e.caller) && Objects.equals(callee, e.callee);
    }

    @Override
    public int hashCode() {
        return Objects.hash(caller, callee, lastSeen, active);
    }

    @Override
    public String toString() {
        return "TopologyEdge{" + documentId() + (staticEdge ? " static" : "") + (active ? "" : " expired")
                + " calls/s=" + callsPerS + " err=" + errorRate + " lat=" + meanLatencyMs + " lastSeen=" + lastSeen
                + "}";
    }
}
