package io.hawkeye.json;

import static io.hawkeye.json.JsonTestText.bytes;
import static io.hawkeye.json.JsonTestText.text;
import static io.hawkeye.json.JsonTestText.withEpochMillis;
import static io.hawkeye.json.OutputRecordFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawkeye.alerts.Alert;
import io.hawkeye.alerts.Attribution;
import io.hawkeye.correlate.Incident;
import io.hawkeye.scaling.ForecastScore;
import io.hawkeye.scaling.LoadForecast;
import io.hawkeye.scaling.ScalingAction;
import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import io.hawkeye.telemetry.DeadLetter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The wire format of the output records, pinned to the exact text the hand-written writers produced before the
 * shared codec (the strings below were written by that code): same field names and order, nulls, omitted
 * fields, instant format and base64. Reading goes the other way: what the old writers wrote parses back to the
 * record (non-finite doubles come back as NaN), and so do instants given as epoch milliseconds.
 */
class OutputRecordsJsonTest {
    static final String ENDPOINT_WINDOW = "{\"series_id\":\"checkout|POST /pay\",\"scope\":\"endpoint\","
            + "\"service\":\"checkout\",\"endpoint\":\"POST /pay\",\"window_start\":\"2026-01-05T00:00:00.123Z\","
            + "\"window_end\":\"2026-01-05T00:00:10.123Z\",\"count\":1000,\"errors\":20,\"error_rate\":0.02,"
            + "\"rps\":100.0,\"min_ms\":1.25,\"mean_ms\":48.123456789,\"max_ms\":1200.0,\"p50_ms\":40.0,"
            + "\"p90_ms\":90.5,\"p95_ms\":120.0,\"p99_ms\":480.75,\"p999_ms\":1000.0,\"relative_accuracy\":0.01,"
            + "\"revision\":2,\"sketch\":\"AAEC/v8qBw==\"}";
    static final String EMPTY_SERVICE_WINDOW = "{\"series_id\":\"cart|_all\",\"scope\":\"service\","
            + "\"service\":\"cart\",\"endpoint\":\"_all\",\"window_start\":\"2026-01-05T00:00:00Z\","
            + "\"window_end\":\"2026-01-05T00:00:10Z\",\"count\":0,\"errors\":0,\"error_rate\":0.0,\"rps\":0.0,"
            + "\"min_ms\":null,\"mean_ms\":null,\"max_ms\":null,\"p50_ms\":null,\"p90_ms\":null,\"p95_ms\":null,"
            + "\"p99_ms\":null,\"p999_ms\":null,\"relative_accuracy\":0.01,\"revision\":0}";
    static final String METRIC = "{\"series_id\":\"checkout|cpu.utilisation\",\"service\":\"checkout\","
            + "\"name\":\"cpu.utilisation\",\"unit\":\"ratio\",\"window_start\":\"2026-01-05T00:00:00Z\","
            + "\"window_end\":\"2026-01-05T00:01:00Z\",\"count\":12,\"min\":0.125,\"mean\":0.5,\"max\":0.875,"
            + "\"last\":0.75,\"p95\":0.86,\"relative_accuracy\":0.01,\"revision\":1}";
    static final String METRIC_WITHOUT_UNIT = "{\"series_id\":\"checkout|cpu.utilisation\",\"service\":\"checkout\","
            + "\"name\":\"cpu.utilisation\",\"window_start\":\"2026-01-05T00:00:00Z\","
            + "\"window_end\":\"2026-01-05T00:01:00Z\",\"count\":12,\"min\":0.125,\"mean\":0.5,\"max\":0.875,"
            + "\"last\":null,\"p95\":null,\"relative_accuracy\":0.01,\"revision\":1}";
    static final String FORECAST = "{\"service\":\"checkout\",\"generated_at\":\"2026-01-05T00:00:00Z\","
            + "\"target_time\":\"2026-01-05T00:14:00Z\",\"horizon_ms\":900000,\"forecast_rps\":250.5,"
            + "\"lower\":200.25,\"upper\":300.0,\"phase\":\"DAILY\",\"model\":\"seasonal-v1\"}";
    static final String SCORE = "{\"service\":\"checkout\",\"generated_at\":\"2026-01-05T00:00:00Z\","
            + "\"since\":\"2026-01-04T00:00:00Z\",\"count\":10,\"mae\":1.5,\"naive_count\":0,"
            + "\"mae_seasonal_naive\":null,\"mase\":null,\"interval_count\":10,\"coverage\":0.8,\"below_upper\":0.9,"
            + "\"phase\":\"LEARNING\"}";
    static final String ACTION = "{\"action_id\":\"checkout|1767571200000\",\"service\":\"checkout\","
            + "\"current_replicas\":4,\"desired_replicas\":8,\"reason\":null,\"forecast_rps\":250.5,"
            + "\"forecast_upper\":300.0,\"horizon\":\"PT15M\",\"slo\":\"p99<=250ms\",\"predicted_p99_at_desired\":null,"
            + "\"utilisation_at_desired\":0.75,\"service_rate\":50.0,\"model\":\"seasonal-v1/DAILY+mmc\","
            + "\"valid_until\":\"2026-01-05T00:15:00Z\",\"mode\":\"shadow\",\"generated_at\":\"2026-01-05T00:00:00Z\"}";
    static final String FIRING_ALERT = "{\"alert_id\":\"34b8eb6e35c0a105\",\"status\":\"firing\","
            + "\"severity\":\"warning\",\"detector\":\"seasonal\",\"signal\":\"p99_ms\",\"service\":\"checkout\","
            + "\"endpoint\":\"/pay\",\"value\":900.0,\"expected\":200.5,\"lower\":null,\"upper\":400.0,\"score\":0.97,"
            + "\"attribution\":[{\"feature\":\"p99_ms\",\"contribution\":5.2},"
            + "{\"feature\":\"error_rate\",\"contribution\":null}],\"starts_at\":\"2026-01-05T00:00:00.001Z\","
            + "\"ends_at\":null,\"window_start\":\"2026-01-05T00:00:00Z\",\"window_end\":\"2026-01-05T00:00:10Z\","
            + "\"labels\":{\"team\":\"payments\",\"zone\":\"eu-1\"},\"model_version\":\"seasonal-v1\","
            + "\"incident_id\":null,\"caused_by\":null}";
    static final String RESOLVED_ALERT = "{\"alert_id\":\"34b8eb6e35c0a105\",\"status\":\"resolved\","
            + "\"severity\":\"warning\",\"detector\":\"seasonal\",\"signal\":\"p99_ms\",\"service\":\"checkout\","
            + "\"endpoint\":\"/pay\",\"value\":900.0,\"expected\":200.5,\"lower\":100.0,\"upper\":400.0,"
            + "\"score\":0.97,\"attribution\":[],\"starts_at\":\"2026-01-05T00:00:00.001Z\","
            + "\"ends_at\":\"2026-01-05T00:01:00Z\",\"window_start\":\"2026-01-05T00:00:00Z\","
            + "\"window_end\":\"2026-01-05T00:00:10Z\",\"labels\":{},\"model_version\":null,"
            + "\"incident_id\":\"inc-1\",\"caused_by\":\"payments-db\"}";
    static final String OPEN_INCIDENT = "{\"incident_id\":\"6ac3dd0e1fb9c578\",\"status\":\"open\","
            + "\"opened_at\":\"2026-01-05T00:00:00.001Z\",\"updated_at\":\"2026-01-05T00:01:30.250Z\","
            + "\"resolved_at\":null,\"merged_into\":null,\"services\":[\"checkout\",\"frontend\",\"payments-db\"],"
            + "\"alert_ids\":[\"34b8eb6e35c0a105\",\"5f0c1d2e3a4b5c6d\",\"9a8b7c6d5e4f3a2b\"],\"alert_count\":4,"
            + "\"firing_count\":3,\"last_alert_at\":\"2026-01-05T00:01:00Z\",\"top_cause\":\"payments-db\","
            + "\"root_causes\":[{\"service\":\"payments-db\",\"score\":0.8125,"
            + "\"explanation\":\"anomaly 0.97 on p99_ms, \\\"first\\\" by 30 s; caf\u00e9\"},"
            + "{\"service\":\"checkout\",\"score\":0.25,\"explanation\":null},"
            + "{\"service\":\"frontend\",\"score\":null,\"explanation\":\"symptom\"}],"
            + "\"blast_radius\":[{\"service\":\"checkout\",\"hops\":1,\"alert_count\":2},"
            + "{\"service\":\"frontend\",\"hops\":2,\"alert_count\":1}]}";
    static final String RESOLVED_INCIDENT = "{\"incident_id\":\"830b1198fc8ead58\",\"status\":\"resolved\","
            + "\"opened_at\":\"2026-01-05T00:00:30Z\",\"updated_at\":\"2026-01-05T00:05:00Z\","
            + "\"resolved_at\":\"2026-01-05T00:05:00Z\",\"merged_into\":\"6ac3dd0e1fb9c578\",\"services\":[\"cart\"],"
            + "\"alert_ids\":[\"5f0c1d2e3a4b5c6d\"],\"alert_count\":1,\"firing_count\":0,"
            + "\"last_alert_at\":\"2026-01-05T00:00:30Z\",\"top_cause\":null,\"root_causes\":[],\"blast_radius\":[]}";
    static final String TEXT_DEAD_LETTER = "{\"reason\":\"negative_duration\",\"detail\":\"duration_ms is -3.0\","
            + "\"source\":{\"topic\":\"telemetry\",\"partition\":2,\"offset\":1234},\"element_index\":3,"
            + "\"received_at\":\"2026-01-05T00:00:00.123Z\","
            + "\"payload\":\"{\\\"type\\\":\\\"span\\\",\\\"name\\\":\\\"caf\u00e9 \\\\\\\"x\\\\\\\"\\\"}\"}";
    static final String BARE_DEAD_LETTER = "{\"reason\":\"elasticsearch_rejected\","
            + "\"source\":{\"partition\":-1,\"offset\":-1},\"element_index\":-1,"
            + "\"received_at\":\"2026-01-05T00:00:00Z\"}";

    /** The dead letter of an oversized record that is not UTF-8: base64 of its first 64 KiB, flagged as cut. */
    static String binaryTruncatedDeadLetter() {
        byte[] kept = Arrays.copyOf(OutputRecordFixtures.binaryTruncatedDeadLetter().payload,
                DeadLetter.MAX_PAYLOAD_BYTES);
        return "{\"reason\":\"too_large\",\"detail\":\"record is 65546 bytes\","
                + "\"source\":{\"topic\":\"telemetry\",\"partition\":0,\"offset\":7},\"element_index\":-1,"
                + "\"received_at\":\"2026-01-05T00:00:00Z\",\"payload_base64\":\""
                + Base64.getEncoder().encodeToString(kept) + "\",\"payload_truncated\":true}";
    }

    /** Reads {@code json} as written by the old code, and again with epoch-millisecond instants. */
    static void readsBack(String json, Function<byte[], ?> fromJson, Object expected) {
        assertThat(fromJson.apply(bytes(json))).isEqualTo(expected);
        assertThat(fromJson.apply(withEpochMillis(json))).isEqualTo(expected);
    }

    /** The records whose JSON reads back as the record itself: the record, its golden JSON and its reader. */
    static Stream<Arguments> goldenRecords() {
        return Stream.of(
                golden("endpoint window", OutputRecordFixtures.endpointWindow(), ENDPOINT_WINDOW, WindowStats::fromJson),
                golden("metric", OutputRecordFixtures.metric(), METRIC, MetricStats::fromJson),
                golden("metric without unit", OutputRecordFixtures.metricWithoutUnit(), METRIC_WITHOUT_UNIT,
                        MetricStats::fromJson),
                golden("forecast", OutputRecordFixtures.forecast(), FORECAST, LoadForecast::fromJson),
                golden("forecast score", OutputRecordFixtures.score(), SCORE, ForecastScore::fromJson),
                golden("firing alert", OutputRecordFixtures.firingAlert(), FIRING_ALERT, Alert::fromJson),
                golden("resolved alert", OutputRecordFixtures.resolvedAlert(), RESOLVED_ALERT, Alert::fromJson),
                golden("open incident", OutputRecordFixtures.openIncident(), OPEN_INCIDENT, Incident::fromJson),
                golden("resolved incident", OutputRecordFixtures.resolvedIncident(), RESOLVED_INCIDENT,
                        Incident::fromJson),
                golden("text dead letter", OutputRecordFixtures.textDeadLetter(), TEXT_DEAD_LETTER,
                        DeadLetter::fromJson),
                golden("binary truncated dead letter", OutputRecordFixtures.binaryTruncatedDeadLetter(),
                        binaryTruncatedDeadLetter(), DeadLetter::fromJson),
                golden("bare dead letter", OutputRecordFixtures.bareDeadLetter(), BARE_DEAD_LETTER,
                        DeadLetter::fromJson));
    }

    private static <T extends OutputRecord> Arguments golden(String name, T record, String json,
            Function<byte[], T> fromJson) {
        return Arguments.of(Named.of(name, record), json, fromJson);
    }

    @ParameterizedTest
    @MethodSource("goldenRecords")
    void writesItsGoldenJsonAndReadsItBack(OutputRecord record, String json, Function<byte[], ?> fromJson) {
        assertThat(text(record.toJson())).isEqualTo(json);
        readsBack(json, fromJson, record);
    }

    /** An empty window's min and max (±Infinity) are written as null and read back as NaN. */
    @Test
    void emptyWindowStats() {
        assertThat(text(OutputRecordFixtures.emptyServiceWindow().toJson())).isEqualTo(EMPTY_SERVICE_WINDOW);

        WindowStats empty = OutputRecordFixtures.emptyServiceWindow();
        empty.minMs = Double.NaN;
        empty.maxMs = Double.NaN;
        readsBack(EMPTY_SERVICE_WINDOW, WindowStats::fromJson, empty);
    }

    @Test
    void scalingAction() {
        assertThat(text(OutputRecordFixtures.action().toJson())).isEqualTo(ACTION);

        ScalingAction expected = OutputRecordFixtures.action();
        expected.predictedP99AtDesired = Double.NaN;
        readsBack(ACTION, ScalingAction::fromJson, expected);
    }

    @Test
    void alert() {
        Alert back = Alert.fromJson(bytes(FIRING_ALERT));
        assertThat(back.endsAt).isZero();
        assertThat(back.labels).containsExactly(Map.entry("team", "payments"),
                Map.entry("zone", "eu-1"));
    }

    @Test
    void incident() {
        Incident resolved = Incident.fromJson(bytes(RESOLVED_INCIDENT));
        assertThat(resolved.topCause).isNull();
        assertThat(resolved.rootCauses).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(classes = {WindowStats.class, MetricStats.class, io.hawkeye.stats.CallEdgeStats.class, LoadForecast.class, ForecastScore.class,
        ScalingAction.class, Alert.class, Attribution.class, DeadLetter.class, Incident.class, Incident.Cause.class,
        Incident.Blast.class})
    void codecAnnotationsKeepTheRecordsFlinkPojos(Class<?> type) {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(type);
    }

    /**
     * The strict index templates map exactly the fields the records write (the scaling records' templates are
     * checked in ScalingRecordsTest, the topology's in the jobs module), the nested objects' fields included
     * (attribution, root causes, blast radius).
     */
    @Test
    void indexTemplatesMatchTheJson() throws Exception {
        var mapper = new ObjectMapper();
        Path dir = Path.of("..", "deploy", "elasticsearch", "templates");
        for (var e : Map.of("hawkeye-window-stats", ENDPOINT_WINDOW, "hawkeye-metric-stats", METRIC,
                "hawkeye-alerts", FIRING_ALERT, "hawkeye-incidents", OPEN_INCIDENT, "hawkeye-call-edges",
                text(OutputRecordFixtures.callEdge().toJson())).entrySet()) {
            var props = mapper.readTree(dir.resolve(e.getKey() + ".json").toFile()).path("template")
                    .path("mappings").path("properties");
            var written = mapper.readTree(e.getValue());
            assertThat(fieldNames(props)).as(e.getKey()).isEqualTo(fieldNames(written));
            for (String nested : List.of("attribution", "root_causes", "blast_radius")) {
                if (written.has(nested)) {
                    assertThat(written.path(nested).get(0).isObject()).as(nested).isTrue();
                    assertThat(fieldNames(props.path(nested).path("properties"))).as(e.getKey() + " " + nested)
                            .isEqualTo(fieldNames(written.path(nested).get(0)));
                }
            }
        }
    }

    static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A reader tolerates fields it does not know (a newer writer). */
    @Test
    void unknownFieldsAreIgnored() {
        String newer = METRIC.replace("\"count\":12,", "\"count\":12,\"stddev\":0.1,\"tags\":{\"a\":[1,2]},");
        assertThat(MetricStats.fromJson(bytes(newer))).isEqualTo(OutputRecordFixtures.metric());
    }

    @Test
    void alertNullCollectionsReadAsEmpty() {
        String json = RESOLVED_ALERT.replace("\"attribution\":[]", "\"attribution\":null")
                .replace("\"labels\":{}", "\"labels\":null");
        assertThat(Alert.fromJson(bytes(json))).isEqualTo(OutputRecordFixtures.resolvedAlert());
    }

    @Test
    void incidentNullListsReadAsEmpty() {
        String json = RESOLVED_INCIDENT.replace("\"root_causes\":[]", "\"root_causes\":null")
                .replace("\"blast_radius\":[]", "\"blast_radius\":null");
        assertThat(Incident.fromJson(bytes(json))).isEqualTo(OutputRecordFixtures.resolvedIncident());
    }

    @Test
    void aBadInstantIsAnIllegalArgument() {
        assertThatThrownBy(() -> LoadForecast.fromJson(bytes(FORECAST.replace("2026-01-05T00:14:00Z", "yesterday"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target_time");
    }

    @Test
    void malformedInputIsAnIllegalArgument() {
        for (Function<byte[], ?> fromJson : List.<Function<byte[], ?>>of(WindowStats::fromJson,
                MetricStats::fromJson, LoadForecast::fromJson, ForecastScore::fromJson, ScalingAction::fromJson,
                Alert::fromJson, DeadLetter::fromJson, Incident::fromJson)) {
            assertThatThrownBy(() -> fromJson.apply(bytes("[1]"))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> fromJson.apply(bytes("{\"service\":"))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> fromJson.apply(bytes("null"))).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(T0).isEqualTo(1_767_571_200_000L);
    }
}
