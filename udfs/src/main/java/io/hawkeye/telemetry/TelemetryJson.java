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
        return write(256, "span", s, g -> {
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
        });
    }

    public static byte[] toJson(MetricSample m) {
        return write(160, "metric", m, g -> {
            g.writeStringField("instance", m.instance);
            g.writeStringField("name", m.name);
            g.writeNumberField("value", m.value);
            optional(g, "unit", m.unit);
        });
    }

    /** The fields of an event after the ones every event starts with. */
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** One event: {@code type}, its {@code ts} and {@code service}, then {@code fields}. */
    private static byte[] write(int sizeHint, String type, TelemetryRecord event, Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", type);
            g.writeNumberField("ts", event.ts);
            g.writeStringField("service", event.service);
            fields.write(g);
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
