package io.hawkeye.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawkeye.stats.WindowStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleExpressionTest {
    static WindowStats w() {
        WindowStats w = new WindowStats();
        w.service = "checkout";
        w.endpoint = "GET /cart";
        w.count = 200;
        w.errors = 20;
        w.errorRate = 0.1;
        w.rps = 3.3;
        w.p50Ms = 40;
        w.p95Ms = 2500;
        w.p99Ms = 3000;
        w.maxMs = 9000;
        return w;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
        "error_rate > 0.05; true",
        "error_rate > 0.1; false",
        "error_rate >= 0.1; true",
        "p95_ms > 2000 and count >= 20; true",
        "p95_ms > 2000 and count >= 500; false",
        "p95_ms > 5000 or errors == 20; true",
        "not p95_ms > 2000; false",
        "!(p95_ms > 2000) || rps < 1; false",
        "p99_ms / p50_ms > 50; true",
        "p99_ms - p50_ms * 2 == 2920; true",
        "(p99_ms - p50_ms) * 2 == 5920; true",
        "-p50_ms < -39.5; true",
        "errors / count * 100 > 9.99; true",
        "1.5e3 < p95_ms; true",
        "p50_ms != 40; false",
        "min_ms / min_ms > 0; false", // 0/0 = NaN: comparisons are false
        "a_b == 1 or true_ish; ERROR",
    })
    void evaluates(String expr, String expected) {
        if (expected.equals("ERROR")) {
            assertThatThrownBy(() -> RuleExpression.parse(expr)).isInstanceOf(IllegalArgumentException.class);
            return;
        }
        assertThat(RuleExpression.parse(expr).test(w())).isEqualTo(Boolean.parseBoolean(expected));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = ';', value = {
        "eror_rate > 0.05; unknown field 'eror_rate' at position 1",
        "error_rate > ; expression ends early",
        "error_rate; expression is a number, not a condition",
        "error_rate = 0.05; '=' is not an operator (use '==') at position 12",
        "(error_rate > 0.05; missing ')' at position 19",
        "error_rate > 0.05 and 3; 'and' needs conditions on both sides, got a number at position 19",
        "p95_ms > 2s; bad number '2s'",
        "0 < p95_ms < 10; comparisons cannot be chained",
        "p95_ms > 1 $; unexpected character '$' at position 12",
        "(p95_ms > 1) + 2 > 1; '+' needs numbers, got a condition",
        "' '; expression is empty",
    })
    void rejectsWithPositionAndReason(String expr, String message) {
        assertThatThrownBy(() -> RuleExpression.parse(expr)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void reportsFieldsAndThreshold() {
        RuleExpression e = RuleExpression.parse("error_rate > 0.05 and count >= 20");
        assertThat(e.fields()).containsExactly("error_rate", "count");
        assertThat(e.threshold()).isEqualTo(new RuleExpression.Threshold("error_rate", ">", 0.05));
        assertThat(RuleExpression.parse("p99_ms / p50_ms > 50").threshold()).isNull();
    }
}
