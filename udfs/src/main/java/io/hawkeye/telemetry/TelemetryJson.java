package io.hawkeye.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes validated events back in the telemetry contract (docs/telemetry.md), e.g. for a late event's dead
 * letter, where the original bytes are no longer at hand. Timestamps are written as epoch milliseconds.
 */
public final class TelemetryJson {
    private static final JsonFactory JSON = new JsonFactory();

    private TelemetryJson() {}

    public static byte[] toJson(Span s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", "span");
            g.writeNumberField("ts", s.ts);
            g.writeStringField("service", s.service);
            g.writeStringField("endpoint", s.endpoint);
            g.writeNumberField("duration_ms", s.durationMs);
            if (s.statusCode > 0) g.writeNumberField("status", s.statusCode);
            else g.writeStringField("status", s.error ? "error" : "ok");
            optional(g, "caller", s.caller);
            optional(g, "instance", s.instance);
            optional(g, "trace_id", s.traceId);
            optional(g, "span_id", s.spanId);
            optional(g, "parent_id", s.parentId);
            optional(g, "kind", s.kind);
            optional(g, "callee", s.callee);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] toJson(MetricSample m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", "metric");
            g.writeNumberField("ts", m.ts);
            g.writeStringField("service", m.service);
            g.writeStringField("instance", m.instance);
            g.writeStringField("name", m.name);
            g.writeNumberField("value", m.value);
            optional(g, "unit", m.unit);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void optional(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) g.writeStringField(name, value);
    }
}
