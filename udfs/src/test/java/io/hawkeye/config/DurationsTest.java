package io.hawkeye.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one duration syntax: Flink's unit forms, compact multi-unit forms and ISO-8601. */
class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        // Flink's forms
        "500ms, 500", "10s, 10000", "1min, 60000", "2h, 7200000", "1d, 86400000",
        // compact
        "2h30m, 9000000", "1m30s, 90000", "1d12h, 129600000", "2w, 1209600000", "1h1min, 3660000", "90S, 90000",
        // ISO-8601
        "PT2H, 7200000", "P7D, 604800000", "pt0.25s, 250",
        // zero
        "0, 0", "0s, 0", "PT0S, 0"})
    void accepts(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"45", "1.5", "2 hours", "5 min", "1m2h", "1x", "-5s", "PT-5S", "P", "h", "1mins",
        "99999999999999999999d", "106751991167301d"})
    void rejects(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void rejectsEmpty(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).hasMessageContaining("empty duration");
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "250, 250ms", "5000, 5s", "600000, 10min", "3600000, 1h", "259200000, 3d", "90000, 90s"})
    void formatsInTheSameSyntax(long millis, String text) {
        Duration d = Duration.ofMillis(millis);
        assertThat(Durations.format(d)).isEqualTo(text);
        assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }
}
