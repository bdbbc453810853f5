package io.hawkeye.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The job's options are checked up front: misspelt keys, unknown capabilities and bad values fail the job. */
class HawkeyeOptionsTest {

    private static Configuration conf(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1]);
        return HawkeyeOptions.configuration(m);
    }

    @Test
    void durationsInEverySyntaxOfDurations() {
        Configuration c = conf("window.size", "30s", "window.slide", "PT10S", "scaling.horizon", "1h30m",
                "detect.series-idle-timeout", "2d", "correlate.window", "5min", "scaling.slo-p99", "250ms",
                "window.allowed-lateness", "0");
        assertThat(c.get(HawkeyeOptions.WINDOW_SIZE)).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.get(HawkeyeOptions.WINDOW_SLIDE)).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.get(HawkeyeOptions.SCALING_HORIZON)).isEqualTo(Duration.ofMinutes(90));
        assertThat(c.get(HawkeyeOptions.DETECT_SERIES_IDLE_TIMEOUT)).isEqualTo(Duration.ofDays(2));
        assertThat(c.get(HawkeyeOptions.CORRELATE_WINDOW)).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.get(HawkeyeOptions.SCALING_SLO_P99)).isEqualTo(Duration.ofMillis(250));
        assertThat(c.get(HawkeyeOptions.ALLOWED_LATENESS)).isZero();
        assertThat(c.get(HawkeyeOptions.OUT_OF_ORDERNESS)).as("default").isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void fromArgsAsFlinkRunPassesThem() {
        Configuration c = HawkeyeOptions.fromArgs(new String[] {"--kafka.bootstrap-servers", "k:9092",
            "--window.size", "P1D", "--kafka.bounded", "--detect.for-windows", "3",
            "--detect.false-alarms-per-week", "0.5", "--execution.checkpointing.interval", "30 s"});
        assertThat(c.get(HawkeyeOptions.KAFKA_BOOTSTRAP)).isEqualTo("k:9092");
        assertThat(c.get(HawkeyeOptions.WINDOW_SIZE)).isEqualTo(Duration.ofDays(1));
        assertThat(c.get(HawkeyeOptions.KAFKA_BOUNDED)).isTrue();
        assertThat(c.get(HawkeyeOptions.DETECT_FOR_WINDOWS)).isEqualTo(3);
        assertThat(c.get(HawkeyeOptions.DETECT_FALSE_ALARMS_PER_WEEK)).isEqualTo(0.5);
        assertThat(io.hawkeye.jobs.detect.DetectionConfig.from(c).falseAlarmsPerWeek()).isEqualTo(0.5);
        assertThat(io.hawkeye.jobs.detect.DetectionConfig.from(new Configuration()).falseAlarmsPerWeek())
                .as("default").isEqualTo(1.0);
        assertThat(c.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).as("Flink's own key, Flink's syntax")
                .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void flinkSettingsPassThrough() {
        Configuration c = conf("state.backend.type", "hashmap", "pipeline.max-parallelism", "64",
                "taskmanager.numberOfTaskSlots", "4", "restart-strategy.type", "fixed-delay");
        assertThat(c.toMap()).containsEntry("state.backend.type", "hashmap").containsEntry("pipeline.max-parallelism", "64")
                .containsEntry("taskmanager.numberOfTaskSlots", "4");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "widnow.size|1m|unknown option 'widnow.size' (did you mean window.size?)",
        "window.szie|1m|unknown option 'window.szie' (did you mean window.size?)",
        "kafka.bootstrap-server|k:9092|unknown option 'kafka.bootstrap-server' (did you mean kafka.bootstrap-servers?)",
        "capabilites|detection|unknown option 'capabilites' (did you mean capabilities?)",
        "executon.checkpointing.interval|10s|unknown option 'executon.checkpointing.interval' (valid: capabilities, "
            + "kafka.bootstrap-servers,",
        "capabilities|detection,scalling|capabilities: unknown capability 'scalling' (did you mean scaling?)",
        "capabilities|anomalies|capabilities: unknown capability 'anomalies' (valid: window-stats, detection, "
            + "scaling, correlation, call-edges)",
        "capabilities|scaling,correlation|capabilities: correlation needs detection",
        "window.size|5 minutes|window.size: invalid duration '5 minutes' (e.g. 500ms, 10s, 1min, 2h30m, 1d or "
            + "ISO-8601 PT2H30M)",
        "window.size|60|window.size: duration '60' needs a unit",
        "detect.for-windows|two|detect.for-windows: 'two' is not an integer",
        "detect.fire-score|high|detect.fire-score: 'high' is not a number",
        "kafka.bounded|yes|kafka.bounded: 'yes' is not true or false"})
    void rejects(String key, String value, String message) {
        assertThatThrownBy(() -> conf(key, value)).isInstanceOf(IllegalConfigurationException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void reportsEveryProblemOnOneLine() {
        assertThatThrownBy(() -> HawkeyeOptions.fromArgs(new String[] {"--widnow.size", "1m", "--window.slide"}))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessage("unknown option 'widnow.size' (did you mean window.size?); window.slide: missing value");
    }

    @Test
    void theDefaultCapabilitiesAreValid() {
        assertThat(conf("capabilities", HawkeyeOptions.CAPABILITIES.defaultValue()).get(HawkeyeOptions.CAPABILITIES))
                .isEqualTo(HawkeyeOptions.CAPABILITIES.defaultValue());
        // Every capability is on by default but call-edges, whose join costs where no client spans are sent.
        assertThat(HawkeyeOptions.CAPABILITY_VALUES)
                .containsExactlyInAnyOrder((HawkeyeOptions.CAPABILITIES.defaultValue() + ",call-edges").split(","));
    }

    @Test
    void theTableShowsDefaultsInTheAcceptedSyntax() {
        String table = HawkeyeOptions.markdownTable();
        assertThat(table).contains("| `window.size` | Duration | 1min |", "| `scaling.state-ttl` | Duration | 3d |",
                "| `window.slide` | Duration | (none) |", "| `scaling.slo-p99` | Duration | 250ms |");
    }
}
