package io.hawkeye.detect.multivariate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

/** The multivariate detectors' calibrated score ({@link TailCalibration#fromZ}): unchanged to z = 5, no tie beyond. */
class TailCalibrationTest {
    @Test
    void theScoreKeepsRankingBeyondTheCubeLawsSaturation() {
        // The alerting range is as before: 0.7 ↔ z ≈ 2.4, 0.9 ↔ z ≈ 3.5, score(5) = 0.5 + 0.5·(1 − e^(−(5/3)³)).
        assertThat(TailCalibration.fromZ(0)).isCloseTo(0.5, offset(1e-12));
        assertThat(TailCalibration.fromZ(3.5)).isCloseTo(0.5 + 0.5 * (1 - Math.exp(-Math.pow(3.5 / 3, 3))), offset(1e-15))
                .isCloseTo(0.9, offset(0.005));
        double s5 = 0.5 + 0.5 * (1 - Math.exp(-Math.pow(5.0 / 3, 3)));
        assertThat(TailCalibration.fromZ(5)).isCloseTo(s5, offset(1e-15)).isCloseTo(0.99513, offset(1e-5));
        // Beyond 5: 1 − score = (1 − score(5))/(1 + ln(z/5)), strictly increasing, never printed as 1.000000 for a
        // finite double z (1 + ln(Double.MAX_VALUE/5) ≈ 708 < (1 − score(5))/5e-7 ≈ 9 700).
        assertThat(1 - TailCalibration.fromZ(5 * Math.E)).isCloseTo((1 - s5) / 2, offset(1e-15));
        double prev = 0;
        for (double z = 0.5; z < 1e300; z *= 1.5) {
            assertThat(TailCalibration.fromZ(z)).isGreaterThan(prev).isLessThan(1);
            prev = TailCalibration.fromZ(z);
        }
        assertThat(TailCalibration.fromZ(Double.MAX_VALUE)).isLessThan(0.9999995);
    }
}
