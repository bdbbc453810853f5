package io.hawkeye.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawkeye.stats.StatsAccumulator;
import io.hawkeye.stats.WindowStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JSON of one {@link WindowStats} (the record the window operator emits for every series and window, to Kafka
 * and to Elasticsearch): {@code toJson}/{@code fromJson} of the record against {@code legacyToJson}/
 * {@code legacyFromJson}, the hand-written streaming code the records had before the shared codec
 * ({@code io.hawkeye.json.JsonRecords}), kept here verbatim as the baseline. The record is a real one: an
 * endpoint window of 1,000 lognormal latencies, so the DDSketch (base64 in the JSON) has its usual size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RecordJsonBenchmark {
    WindowStats stats;
    byte[] json;

    @Setup
    public void setup() {
        StatsAccumulator acc = new StatsAccumulator(0.01);
        double[] v = LatencyData.lognormal(1_000, 7);
        long start = Instant.parse("2026-01-01T12:00:00Z").toEpochMilli();
        for (int i = 0; i < v.length; i++) acc.add(v[i], start + i * 10L, i % 50 == 0);
        stats = WindowStats.of(WindowStats.SCOPE_ENDPOINT, "checkout", "POST /pay", start, start + 10_000,
                acc.snapshot(), 0);
        json = stats.toJson();
        if (!new String(json).equals(new String(Legacy.toJson(stats)))) {
            throw new IllegalStateException("codec and legacy JSON differ:\n" + new String(json) + "\n"
                    + new String(Legacy.toJson(stats)));
        }
    }

    @Benchmark
    public byte[] toJson() {
        return stats.toJson();
    }

    @Benchmark
    public byte[] legacyToJson() {
        return Legacy.toJson(stats);
    }

    @Benchmark
    public WindowStats fromJson() {
        return WindowStats.fromJson(json);
    }

    @Benchmark
    public WindowStats legacyFromJson() {
        return Legacy.fromJson(json);
    }

    /** WindowStats.toJson/fromJson and JsonRecords as they were before the shared codec. */
    static final class Legacy {
        private static final JsonFactory FACTORY = new JsonFactory();
        private static final ObjectMapper MAPPER = new ObjectMapper();

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

        static byte[] toJson(WindowStats w) {
            return write(g -> {
                g.writeStringField("series_id", w.seriesId);
                g.writeStringField("scope", w.scope);
                g.writeStringField("service", w.service);
                g.writeStringField("endpoint", w.endpoint);
                g.writeStringField("window_start", Instant.ofEpochMilli(w.windowStart).toString());
                g.writeStringField("window_end", Instant.ofEpochMilli(w.windowEnd).toString());
                g.writeNumberField("count", w.count);
                g.writeNumberField("errors", w.errors);
                number(g, "error_rate", w.errorRate);
                number(g, "rps", w.rps);
                number(g, "min_ms", w.minMs);
                number(g, "mean_ms", w.meanMs);
                number(g, "max_ms", w.maxMs);
                number(g, "p50_ms", w.p50Ms);
                number(g, "p90_ms", w.p90Ms);
                number(g, "p95_ms", w.p95Ms);
                number(g, "p99_ms", w.p99Ms);
                number(g, "p999_ms", w.p999Ms);
                g.writeNumberField("relative_accuracy", w.relativeAccuracy);
                g.writeNumberField("revision", w.revision);
                if (w.sketch != null) g.writeBinaryField("sketch", w.sketch);
            });
        }

        static WindowStats fromJson(byte[] json) {
            JsonNode n = read(json);
            WindowStats w = new WindowStats();
            w.seriesId = n.path("series_id").asText();
            w.scope = n.path("scope").asText();
            w.service = n.path("service").asText();
            w.endpoint = n.path("endpoint").asText();
            w.windowStart = time(n.path("window_start"));
            w.windowEnd = time(n.path("window_end"));
            w.count = n.path("count").asLong();
            w.errors = n.path("errors").asLong();
            w.errorRate = dbl(n.get("error_rate"));
            w.rps = dbl(n.get("rps"));
            w.minMs = dbl(n.get("min_ms"));
            w.meanMs = dbl(n.get("mean_ms"));
            w.maxMs = dbl(n.get("max_ms"));
            w.p50Ms = dbl(n.get("p50_ms"));
            w.p90Ms = dbl(n.get("p90_ms"));
            w.p95Ms = dbl(n.get("p95_ms"));
            w.p99Ms = dbl(n.get("p99_ms"));
            w.p999Ms = dbl(n.get("p999_ms"));
            w.relativeAccuracy = dbl(n.get("relative_accuracy"));
            w.revision = n.path("revision").asInt();
            try {
                w.sketch = n.hasNonNull("sketch") ? n.get("sketch").binaryValue() : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return w;
        }
    }
}
