package io.hawkeye.stats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Small JSON helpers shared by the output records: hand-written generators keep field names and order explicit. */
final class Json {
    static final JsonFactory FACTORY = new JsonFactory();
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

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

    /** Writes a double, or null when it is not finite (JSON has no NaN). */
    static void number(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isFinite(v)) g.writeNumberField(name, v);
        else g.writeNullField(name);
    }

    static JsonNode read(byte[] json) {
        try {
            return MAPPER.readTree(json);
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
}
