package io.hawkeye.tools.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The timestamp forms of the offline commands' CSV input (backtest, evaluate, forecast, scale-eval, rca). */
class TimestampsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // backtest's forms
        "2024-03-01 12:30:00,          2024-03-01T12:30:00Z",
        "2024-03-01 12:30:00.000000,   2024-03-01T12:30:00Z",
        "2024-03-01T12:30:00Z,         2024-03-01T12:30:00Z",
        "2024-03-01T14:30:00+02:00,    2024-03-01T12:30:00Z",
        "1709296200,                   2024-03-01T12:30:00Z",
        "1709296200000,                2024-03-01T12:30:00Z",
        // forecast's (and scale-eval's)
        "2024-03-04 10:15:00,          2024-03-04T10:15:00Z",
        "2024-03-04T10:15:00Z,         2024-03-04T10:15:00Z",
        "2024-03-04T12:15:00+02:00,    2024-03-04T10:15:00Z",
        "2024-03-04T10:15:00,          2024-03-04T10:15:00Z",
        "1709547300,                   2024-03-04T10:15:00Z",
        "1709547300000,                2024-03-04T10:15:00Z",
        // rca's epoch seconds with a fraction, and a date
        "1709547300.5,                 2024-03-04T10:15:00.500Z",
        "' 2024-03-04 ',               2024-03-04T00:00:00Z",
    })
    void readsTheForm(String text, Instant expected) {
        assertThat(Timestamps.epochMillis(text)).isEqualTo(expected.toEpochMilli());
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({"timestamp", "''", "NaN", "2024-13-01 00:00:00"})
    void noTimestampIsNone(String text) {
        assertThat(Timestamps.epochMillis(text)).isEqualTo(Timestamps.NONE);
    }
}
