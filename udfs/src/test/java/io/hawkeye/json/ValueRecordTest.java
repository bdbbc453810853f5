package io.hawkeye.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.stats.WindowStats;
import io.hawkeye.telemetry.DeadLetter;
import io.hawkeye.telemetry.DeadLetterReason;
import org.junit.jupiter.api.Test;

/** Equality of the records over every field: also those not in the JSON, arrays by content, NaN equal to NaN. */
class ValueRecordTest {
    static DeadLetter letter() {
        return DeadLetter.of(DeadLetterReason.NOT_JSON, "bad", "telemetry", 1, 7, 1_000, new byte[] {1, 2, 3});
    }

    @Test
    void equalWhenEveryFieldIsEqual() {
        assertThat(letter()).isEqualTo(letter()).hasSameHashCodeAs(letter());
    }

    @Test
    void aFieldOutsideTheJsonCounts() {
        DeadLetter other = letter();
        other.sourceOffset = 8;
        assertThat(other).isNotEqualTo(letter());
        other = letter();
        other.sourceTopic = "other";
        assertThat(other).isNotEqualTo(letter());
    }

    @Test
    void arraysCompareByContent() {
        DeadLetter other = letter();
        other.payload = new byte[] {1, 2, 3};
        assertThat(other).isEqualTo(letter()).hasSameHashCodeAs(letter());
        other.payload = new byte[] {1, 2, 4};
        assertThat(other).isNotEqualTo(letter());
    }

    @Test
    void doublesCompareAsDoubleCompare() {
        WindowStats a = new WindowStats();
        WindowStats b = new WindowStats();
        a.p99Ms = Double.NaN;
        b.p99Ms = Double.NaN;
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        a.p99Ms = 0.0;
        b.p99Ms = -0.0;
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void anotherClassIsNeverEqual() {
        assertThat(new WindowStats()).isNotEqualTo(new io.hawkeye.stats.MetricStats()).isNotEqualTo(null);
    }

    @Test
    void toStringNamesEveryField() {
        WindowStats w = new WindowStats();
        w.seriesId = "checkout|/pay";
        w.sketch = new byte[] {9};
        assertThat(w.toString()).startsWith("WindowStats{seriesId=checkout|/pay, ").contains("sketch=[9]")
                .endsWith("}");
    }
}
