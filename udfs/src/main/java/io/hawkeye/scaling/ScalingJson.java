package io.hawkeye.scaling;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** JSON helpers of the scaling records: explicit field names and order, instants as RFC 3339, NaN as null. */
final class ScalingJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ScalingJson() {}

    interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] write(Writer w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            w.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void number(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isFinite(v)) g.writeNumberField(name, v);
        else g.writeNullField(name);
    }

    static void time(JsonGenerator g, String name, long epochMillis) throws IOException {
        g.writeStringField(name, Instant.ofEpochMilli(epochMillis).toString());
    }

    /** @throws IllegalArgumentException when the bytes are not a JSON object */
    static JsonNode read(byte[] json) {
        try {
            JsonNode n = MAPPER.readTree(json);
            if (n == null || !n.isObject()) throw new IllegalArgumentException("not a JSON object");
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    static long time(JsonNode n) {
        return n.isNumber() ? n.asLong() : Instant.parse(n.asText()).toEpochMilli();
    }

    static double dbl(JsonNode n) {
        return n == null || n.isNull() ? Double.NaN : n.asDouble();
    }

    static String str(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}
