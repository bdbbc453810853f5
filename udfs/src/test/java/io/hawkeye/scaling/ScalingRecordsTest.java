package io.hawkeye.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawkeye.json.OutputRecordFixtures;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

public class ScalingRecordsTest {
    @ParameterizedTest
    @ValueSource(classes = {LoadForecast.class, ScalingAction.class, ForecastScore.class})
    void isSerializedAsPojoWithoutGenericTypes(Class<?> type) {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(type);
    }

    /** {@link OutputRecordFixtures#action()} (generated 2026-01-05T00:00:00Z), enforced, with a reason. */
    public static ScalingAction action() {
        ScalingAction a = OutputRecordFixtures.action();
        a.reason = "scale_up: forecast p90 300.0 rps at +15 min needs 9 replicas (latency, mu 50.00/s)";
        a.mode = "enforce";
        return a;
    }

    @Test
    void actionJsonIsSnakeCaseAndRoundTrips() {
        ScalingAction a = action();
        String json = new String(a.toJson(), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"action_id\":\"checkout|1767571200000\",\"service\":\"checkout\","
                + "\"current_replicas\":4,\"desired_replicas\":8,")
                .contains("\"predicted_p99_at_desired\":null", "\"valid_until\":\"2026-01-05T00:15:00Z\"",
                        "\"generated_at\":\"2026-01-05T00:00:00Z\"", "\"mode\":\"enforce\"");
        ScalingAction back = ScalingAction.fromJson(a.toJson());
        a.predictedP99AtDesired = Double.NaN; // JSON has no infinity
        assertThat(back).isEqualTo(a);
        assertThatThrownBy(() -> ScalingAction.fromJson("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The strict index templates map exactly the fields toJson writes. */
    @Test
    void indexTemplatesMatchTheJson() throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        java.nio.file.Path dir = java.nio.file.Path.of("..", "deploy", "elasticsearch", "templates");
        LoadForecast f = new LoadForecast();
        f.service = "s";
        f.phase = "DAILY";
        f.model = "m";
        ForecastScore s = new ForecastScore();
        s.service = "s";
        s.phase = "DAILY";
        for (var e : Map.of("hawkeye-scaling-actions", action().toJson(), "hawkeye-forecasts", f.toJson(),
                "hawkeye-forecast-scores", s.toJson()).entrySet()) {
            var props = mapper.readTree(dir.resolve(e.getKey() + ".json").toFile()).path("template")
                    .path("mappings").path("properties");
            java.util.Set<String> mapped = new java.util.TreeSet<>();
            props.fieldNames().forEachRemaining(mapped::add);
            java.util.Set<String> written = new java.util.TreeSet<>();
            mapper.readTree(e.getValue()).fieldNames().forEachRemaining(written::add);
            assertThat(mapped).as(e.getKey()).isEqualTo(written);
        }
    }

    @Test
    void forecastAndScoreJsonRoundTrip() {
        LoadForecast f = new LoadForecast();
        f.service = "checkout";
        f.generatedAt = 1_767_571_200_000L;
        f.targetTime = f.generatedAt + 840_000;
        f.horizonMs = 900_000;
        f.forecastRps = 12.5;
        f.lower = Double.NaN;
        f.upper = Double.NaN;
        f.phase = "LEARNING";
        f.model = "seasonal-v1";
        assertThat(new String(f.toJson(), StandardCharsets.UTF_8)).isEqualTo("{\"service\":\"checkout\","
                + "\"generated_at\":\"2026-01-05T00:00:00Z\",\"target_time\":\"2026-01-05T00:14:00Z\","
                + "\"horizon_ms\":900000,\"forecast_rps\":12.5,\"lower\":null,\"upper\":null,\"phase\":\"LEARNING\","
                + "\"model\":\"seasonal-v1\"}");
        assertThat(LoadForecast.fromJson(f.toJson())).isEqualTo(f);
        assertThat(f.documentId()).isEqualTo("checkout|1767571200000");

        ForecastScore s = new ForecastScore();
        s.service = "checkout";
        s.generatedAt = f.generatedAt;
        s.since = f.generatedAt - 86_400_000;
        s.count = 10;
        s.mae = 1.5;
        s.naiveCount = 8;
        s.maeSeasonalNaive = 3;
        s.mase = 0.5;
        s.intervalCount = 10;
        s.coverage = 0.8;
        s.belowUpper = 0.9;
        s.phase = "DAILY";
        assertThat(ForecastScore.fromJson(s.toJson())).isEqualTo(s);
    }
}
