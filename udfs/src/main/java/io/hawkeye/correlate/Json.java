package io.hawkeye.correlate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;

/**
 * Small JSON helpers shared by the correlation records (snake_case, RFC 3339 times, null for non-finite): the
 * incident records here and the dependency-graph edge of the job's graph learner.
 */
public final class Json {
    public static final JsonFactory FACTORY = new JsonFactory();
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    public static JsonNode read(byte[] json) {
        try {
            JsonNode n = MAPPER.readTree(json);
            if (n == null || !n.isObject()) throw new IllegalArgumentException("not a JSON object");
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    public static void number(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isFinite(v)) g.writeNumberField(name, v);
        else g.writeNullField(name);
    }

    public static void time(JsonGenerator g, String name, long epochMs) throws IOException {
        if (epochMs > 0) g.writeStringField(name, Instant.ofEpochMilli(epochMs).toString());
        else g.writeNullField(name);
    }

    public static void string(JsonGenerator g, String name, String v) throws IOException {
        if (v != null) g.writeStringField(name, v);
        else g.writeNullField(name);
    }

    public static String text(JsonNode n, String f) {
        return n.hasNonNull(f) ? n.get(f).asText() : null;
    }

    public static double dbl(JsonNode n, String f) {
        return n.hasNonNull(f) ? n.get(f).asDouble() : Double.NaN;
    }

    public static long time(JsonNode n, String f) {
        if (!n.hasNonNull(f)) return 0;
        JsonNode v = n.get(f);
        return v.isNumber() ? v.asLong() : Instant.parse(v.asText()).toEpochMilli();
    }
}
