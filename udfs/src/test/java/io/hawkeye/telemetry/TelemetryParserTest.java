package io.hawkeye.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TelemetryParserTest {
    static final long NOW = Instant.parse("2026-01-01T12:00:00Z").toEpochMilli();
    static final String SPAN = "{\"type\":\"span\",\"ts\":" + (NOW - 1000)
            + ",\"service\":\"checkout\",\"endpoint\":\"POST /checkout\",\"duration_ms\":12.5,\"status\":\"ok\"}";

    final TelemetryParser parser = new TelemetryParser(new TelemetryParser.Config(1024 * 1024, 300_000));

    static final class Collected implements TelemetryParser.Handler {
        final List<Span> spans = new ArrayList<>();
        final List<MetricSample> metrics = new ArrayList<>();
        final List<DeadLetter> dead = new ArrayList<>();

        @Override public void span(Span s) { spans.add(s); }
        @Override public void metric(MetricSample m) { metrics.add(m); }
        @Override public void deadLetter(DeadLetter d) { dead.add(d); }
    }

    Collected parse(byte[] payload) {
        Collected c = new Collected();
        parser.parse(payload, "telemetry", 3, 42L, NOW, c);
        return c;
    }

    Collected parse(String payload) {
        return parse(payload.getBytes(StandardCharsets.UTF_8));
    }

    static String span(String replaceField, String newValue) {
        // Rebuild a valid span with one field replaced (newValue == null removes it).
        String[][] fields = {{"type", "\"span\""}, {"ts", String.valueOf(NOW - 1000)}, {"service", "\"checkout\""},
            {"endpoint", "\"POST /checkout\""}, {"duration_ms", "12.5"}, {"status", "\"ok\""}};
        return withField(fields, replaceField, newValue);
    }

    static String metric(String replaceField, String newValue) {
        String[][] fields = {{"type", "\"metric\""}, {"ts", String.valueOf(NOW - 1000)}, {"service", "\"checkout\""},
            {"instance", "\"checkout-1\""}, {"name", "\"cpu_utilization\""}, {"value", "0.42"}};
        return withField(fields, replaceField, newValue);
    }

    /** A JSON object of {@code fields} (name, JSON value) with one field replaced (newValue == null removes it). */
    static String withField(String[][] fields, String replaceField, String newValue) {
        StringBuilder b = new StringBuilder("{");
        for (String[] f : fields) {
            String v = f[0].equals(replaceField) ? newValue : f[1];
            if (v == null) continue;
            if (b.length() > 1) b.append(',');
            b.append('"').append(f[0]).append("\":").append(v);
        }
        return b.append('}').toString();
    }

    /** The valid span with one more field. */
    static String extra(String field, String value) {
        return SPAN.substring(0, SPAN.length() - 1) + ",\"" + field + "\":" + value + "}";
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("not JSON at all", "hello world", "not_json"),
                Arguments.of("truncated JSON", SPAN.substring(0, 40), "not_json"),
                Arguments.of("trailing garbage", SPAN + " x", "not_json"),
                Arguments.of("two objects back to back", SPAN + SPAN, "not_json"),
                Arguments.of("empty string", "", "not_json"),
                Arguments.of("bare number", "42", "not_object"),
                Arguments.of("bare string", "\"span\"", "not_object"),
                Arguments.of("missing service", span("service", null), "missing_field"),
                Arguments.of("null service", span("service", "null"), "missing_field"),
                Arguments.of("missing endpoint", span("endpoint", null), "missing_field"),
                Arguments.of("missing ts", span("ts", null), "missing_field"),
                Arguments.of("missing status", span("status", null), "missing_field"),
                Arguments.of("empty service", span("service", "\"\""), "empty_field"),
                Arguments.of("blank endpoint", span("endpoint", "\"   \""), "empty_field"),
                Arguments.of("service is a number", span("service", "17"), "wrong_type"),
                Arguments.of("duration is a string", span("duration_ms", "\"12\""), "wrong_type"),
                Arguments.of("duration is an object", span("duration_ms", "{\"v\":1}"), "wrong_type"),
                Arguments.of("ts is a boolean", span("ts", "true"), "wrong_type"),
                Arguments.of("duration NaN", span("duration_ms", "NaN"), "non_finite"),
                Arguments.of("duration Infinity", span("duration_ms", "Infinity"), "non_finite"),
                Arguments.of("metric value -Infinity", metric("value", "-Infinity"), "non_finite"),
                Arguments.of("negative duration", span("duration_ms", "-3"), "negative_duration"),
                Arguments.of("unparseable ts", span("ts", "\"yesterday\""), "invalid_timestamp"),
                Arguments.of("ts without offset", span("ts", "\"2026-01-01T11:59:00\""), "invalid_timestamp"),
                Arguments.of("negative epoch ts", span("ts", "-5"), "invalid_timestamp"),
                Arguments.of("ts an hour ahead", span("ts", String.valueOf(NOW + 3_600_000)), "future_timestamp"),
                Arguments.of("status gibberish", span("status", "\"meh\""), "invalid_status"),
                Arguments.of("status 700", span("status", "700"), "invalid_status"),
                Arguments.of("unknown type", span("type", "\"log\""), "unknown_type"),
                Arguments.of("unknown span kind", extra("kind", "\"sideways\""), "invalid_kind"),
                Arguments.of("kind is a number", extra("kind", "2"), "wrong_type"),
                Arguments.of("callee is a number", extra("callee", "2"), "wrong_type"),
                Arguments.of("no type, not inferable", "{\"ts\":1,\"service\":\"a\"}", "unknown_type"),
                Arguments.of("metric without instance", metric("instance", null), "missing_field"),
                Arguments.of("metric value as string", metric("value", "\"0.4\""), "wrong_type"),
                Arguments.of("type is a number", span("type", "1"), "wrong_type"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badInputs")
    void badInputGoesToDeadLetterWithReason(String name, String payload, String reason) throws Exception {
        Collected c = parse(payload);
        assertThat(c.spans).isEmpty();
        assertThat(c.metrics).isEmpty();
        assertThat(c.dead).hasSize(1);
        DeadLetter d = c.dead.get(0);
        assertThat(d.reason).isEqualTo(reason);
        assertThat(d.detail).isNotBlank();
        JsonNode json = new ObjectMapper().readTree(d.toJson());
        assertThat(json.get("reason").asText()).isEqualTo(reason);
        assertThat(json.at("/source/topic").asText()).isEqualTo("telemetry");
        assertThat(json.at("/source/partition").asInt()).isEqualTo(3);
        assertThat(json.at("/source/offset").asLong()).isEqualTo(42L);
        assertThat(json.get("received_at").asText()).isEqualTo("2026-01-01T12:00:00Z");
        assertThat(json.get("payload").asText()).isEqualTo(payload);
    }

    @Test
    void oversizedRecordIsRejectedBeforeParsingAndPayloadIsTruncated() {
        TelemetryParser small = new TelemetryParser(new TelemetryParser.Config(100_000, 0));
        byte[] big = ("{\"pad\":\"" + "x".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        Collected c = new Collected();
        small.parse(big, "telemetry", 0, 1, NOW, c);
        assertThat(c.dead).singleElement().satisfies(d -> {
            assertThat(d.reason).isEqualTo("too_large");
            assertThat(d.payload).hasSize(DeadLetter.MAX_PAYLOAD_BYTES);
            assertThat(d.payloadTruncated).isTrue();
        });
    }

    @Test
    void nonUtf8PayloadIsBase64Encoded() throws Exception {
        byte[] payload = {(byte) 0xff, (byte) 0xfe, '{', '}'};
        Collected c = parse(payload);
        assertThat(c.dead).singleElement().extracting(d -> d.reason).isEqualTo("not_json");
        JsonNode json = new ObjectMapper().readTree(c.dead.get(0).toJson());
        assertThat(Base64.getDecoder().decode(json.get("payload_base64").asText())).isEqualTo(payload);
        assertThat(json.has("payload")).isFalse();
    }

    @Test
    void validSpanWithAllFieldsAndUnknownExtras() {
        Collected c = parse("{\"type\":\"span\",\"ts\":\"2026-01-01T11:59:59.250+01:00\",\"service\":\" checkout \","
                + "\"endpoint\":\"POST /checkout\",\"duration_ms\":12,\"status\":503,\"caller\":\"frontend\","
                + "\"instance\":\"checkout-2\",\"trace_id\":\"abc\",\"span_id\":\"def\",\"parent_id\":\"\","
                + "\"extra\":{\"nested\":[1,2,{\"x\":null}]},\"tags\":[\"a\"]}");
        assertThat(c.dead).isEmpty();
        Span s = c.spans.get(0);
        assertThat(s.ts).isEqualTo(Instant.parse("2026-01-01T10:59:59.250Z").toEpochMilli());
        assertThat(s.service).isEqualTo("checkout");
        assertThat(s.durationMs).isEqualTo(12.0);
        assertThat(s.statusCode).isEqualTo(503);
        assertThat(s.error).isTrue();
        assertThat(s.caller).isEqualTo("frontend");
        assertThat(s.instance).isEqualTo("checkout-2");
        assertThat(s.parentId).isNull();
        assertThat(s.sourceTopic).isEqualTo("telemetry");
        assertThat(s.sourcePartition).isEqualTo(3);
        assertThat(s.sourceOffset).isEqualTo(42);
    }

    @Test
    void spanKindAndCallee() {
        Span client = parse(extra("kind", "\" Client \"").replace("}", ",\"callee\":\" payments \"}")).spans.get(0);
        assertThat(client.kind).isEqualTo("client");
        assertThat(client.callee).isEqualTo("payments");
        assertThat(client.isCall()).isTrue();
        assertThat(parse(extra("kind", "\"producer\"")).spans.get(0).isCall()).isTrue();
        for (String requestKind : new String[] {"\"server\"", "\"consumer\"", "\"internal\"", "\"\"", "null"}) {
            assertThat(parse(extra("kind", requestKind)).spans.get(0).isCall()).as(requestKind).isFalse();
        }
        Span absent = parse(SPAN).spans.get(0);
        assertThat(absent.kind).isNull();
        assertThat(absent.isCall()).isFalse();
        assertThat(TelemetryJson.toJson(client)).asString().contains("\"kind\":\"client\",\"callee\":\"payments\"");
    }

    @Test
    void statusRules() {
        assertThat(parse(span("status", "\"ERROR\"")).spans.get(0).error).isTrue();
        assertThat(parse(span("status", "\"ok\"")).spans.get(0).error).isFalse();
        assertThat(parse(span("status", "404")).spans.get(0).error).isFalse();
        assertThat(parse(span("status", "\"500\"")).spans.get(0).error).isTrue();
        assertThat(parse(span("status", "200")).spans.get(0).statusCode).isEqualTo(200);
    }

    @Test
    void typeIsInferredWhenAbsent() {
        assertThat(parse(span("type", null)).spans).hasSize(1);
        assertThat(parse(metric("type", null)).metrics).hasSize(1);
    }

    @Test
    void validMetric() {
        Collected c = parse("{\"type\":\"metric\",\"ts\":" + (NOW - 5) + ",\"service\":\"db\",\"instance\":\"db-0\","
                + "\"name\":\"cpu_utilization\",\"value\":0.93,\"unit\":\"ratio\"}");
        assertThat(c.metrics).singleElement().satisfies(m -> {
            assertThat(m.name).isEqualTo("cpu_utilization");
            assertThat(m.value).isEqualTo(0.93);
            assertThat(m.unit).isEqualTo("ratio");
            assertThat(m.ts).isEqualTo(NOW - 5);
        });
    }

    @Test
    void arrayOfEventsKeepsGoodOnesAndDeadLettersBadElementsWithTheirIndex() {
        String payload = "[" + SPAN + "," + metric(null, null) + ",42," + span("duration_ms", "-1") + "]";
        Collected c = parse(payload);
        assertThat(c.spans).hasSize(1);
        assertThat(c.metrics).hasSize(1);
        assertThat(c.dead).extracting(d -> d.reason + "@" + d.elementIndex)
                .containsExactly("not_object@2", "negative_duration@3");
    }

    @Test
    void syntaxErrorInsideArrayDeadLettersTheWholeRecordOnce() {
        Collected c = parse("[" + SPAN + "," + SPAN.substring(0, 30));
        assertThat(c.spans).isEmpty();
        assertThat(c.dead).singleElement().extracting(d -> d.reason).isEqualTo("not_json");
    }

    @Test
    void futureSkewCheckCanBeDisabled() {
        TelemetryParser lenient = new TelemetryParser(new TelemetryParser.Config(1 << 20, 0));
        Collected c = new Collected();
        lenient.parse(span("ts", String.valueOf(NOW + 86_400_000)).getBytes(StandardCharsets.UTF_8), "t", 0, 0, NOW, c);
        assertThat(c.spans).hasSize(1);
    }

    @Test
    void roundTripThroughTelemetryJson() {
        Span s = parse(SPAN).spans.get(0);
        Span again = parse(TelemetryJson.toJson(s)).spans.get(0);
        assertThat(again).isEqualTo(s);
    }
}
