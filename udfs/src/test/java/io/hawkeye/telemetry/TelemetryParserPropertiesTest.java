package io.hawkeye.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Hostile telemetry (issue 15): whatever bytes a producer writes, the parser hands out valid spans and metric
 * samples or dead letters with a reason and the record's source position — never an exception, and never
 * silently nothing.
 */
class TelemetryParserPropertiesTest {
    static final long NOW = Instant.parse("2026-01-01T12:00:00Z").toEpochMilli();
    final TelemetryParser parser = new TelemetryParser(new TelemetryParser.Config(64 * 1024, 300_000));

    record Outcome(List<Span> spans, List<MetricSample> metrics, List<DeadLetter> dead) {
        int total() {
            return spans.size() + metrics.size() + dead.size();
        }
    }

    Outcome parse(byte[] payload) {
        Outcome o = new Outcome(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        parser.parse(payload, "telemetry", 5, 77L, NOW, new TelemetryParser.Handler() {
            @Override public void span(Span s) { o.spans.add(s); }
            @Override public void metric(MetricSample m) { o.metrics.add(m); }
            @Override public void deadLetter(DeadLetter d) { o.dead.add(d); }
        });
        return o;
    }

    /**
     * Every outcome is accounted for: valid events carry their source; dead letters a reason and the source. Only
     * an empty batch ({@code []}) yields nothing — it holds nothing to lose.
     */
    static void wellFormed(Outcome o) {
        wellFormed(o, false);
    }

    static void wellFormed(Outcome o, boolean emptyBatch) {
        if (!emptyBatch) assertThat(o.total()).isPositive();
        for (Span s : o.spans) {
            assertThat(s.service).isNotBlank();
            assertThat(s.durationMs).isFinite().isNotNegative();
            assertThat(s.sourceOffset).isEqualTo(77L);
        }
        for (MetricSample m : o.metrics) {
            assertThat(m.service).isNotBlank();
            assertThat(m.value).isFinite();
            assertThat(m.sourceOffset).isEqualTo(77L);
        }
        for (DeadLetter d : o.dead) {
            assertThat(d.reason).isNotBlank();
            assertThat(d.sourceTopic).isEqualTo("telemetry");
            assertThat(d.sourcePartition).isEqualTo(5);
            assertThat(d.sourceOffset).isEqualTo(77L);
            assertThat(d.toJson()).isNotEmpty(); // a dead letter can always be written out
        }
    }

    @Property(tries = 1500)
    void anyBytesAreEventsOrDeadLetters(@ForAll @Size(max = 2000) byte[] payload) {
        wellFormed(parse(payload), new String(payload, StandardCharsets.UTF_8).strip().equals("[]"));
    }

    @Provide
    Arbitrary<String> jsonValues() {
        return Arbitraries.oneOf(
                Arbitraries.of("null", "true", "[]", "{}", "\"\"", "1e309", "-1e309", "1e-400", "9223372036854775808",
                        "-9223372036854775809", "NaN", "\"NaN\"", "\"Infinity\"", "-0", "0.0", "1.7976931348623157E308",
                        "\"\\u0000\"", "\"\\ud800\"", "\"" + "x".repeat(5000) + "\"", "[[[[[[[[[[1]]]]]]]]]]",
                        "\"span\"", "\"metric\"", "\"ok\"", "\"error\"", "500", "\"2026-01-01T12:00:00Z\"",
                        "\"a|b\"", "\"\u202e\u0007\""),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.strings().ofMaxLength(40).map(s -> '"' + s.replace("\\", "\\\\").replace("\"", "\\\"")
                        + '"'));
    }

    @Provide
    Arbitrary<String> records() {
        Arbitrary<String> key = Arbitraries.of("type", "ts", "service", "endpoint", "duration_ms", "status", "caller",
                "instance", "trace_id", "span_id", "parent_id", "name", "value", "unit", "extra", "ts");
        Arbitrary<String> field = Combinators.combine(key, jsonValues()).as((k, v) -> '"' + k + "\":" + v);
        Arbitrary<String> object = field.list().ofMaxSize(16).map(l -> "{" + String.join(",", l) + "}");
        return Arbitraries.oneOf(object, object.list().ofMaxSize(5).map(l -> "[" + String.join(",", l) + "]"),
                Arbitraries.integers().between(1, 3000).map(n -> "[".repeat(n) + "]".repeat(n)),
                Arbitraries.integers().between(1, 3000).map(n -> "{\"a\":".repeat(n) + "1" + "}".repeat(n)));
    }

    @Property(tries = 1500)
    void anyJsonLikeRecordIsEventsOrDeadLetters(@ForAll("records") String record) {
        Outcome o = parse(record.getBytes(StandardCharsets.UTF_8));
        wellFormed(o, record.equals("[]"));
    }

    @Example
    void extremeButValidValuesAreAcceptedOrDeadLetteredNotThrown() {
        for (String r : List.of(
                "{\"type\":\"span\",\"ts\":" + NOW + ",\"service\":\"a\",\"duration_ms\":1e308,\"status\":\"ok\"}",
                "{\"type\":\"span\",\"ts\":9223372036854775807,\"service\":\"a\",\"duration_ms\":1}",
                "{\"type\":\"span\",\"ts\":-9223372036854775808,\"service\":\"a\",\"duration_ms\":1}",
                "{\"type\":\"metric\",\"ts\":" + NOW + ",\"service\":\"a\",\"name\":\"m\",\"value\":1e308}",
                "{\"type\":\"span\",\"type\":\"metric\",\"ts\":" + NOW + ",\"service\":\"a\",\"duration_ms\":1}")) {
            wellFormed(parse(r.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
