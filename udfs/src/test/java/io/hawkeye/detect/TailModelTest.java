package io.hawkeye.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tail model ({@link TailModel}): score map, GPD fit, calibration on normal and heavy-tailed noise. */
class TailModelTest {
    static final SeasonalConfig CFG = SeasonalConfig.defaults();
    static final long MIN = 60_000;

    @Test
    void scoreMapKeepsTheOrderOfProbabilitiesBeyondOneInABillion() {
        assertThat(TailModel.score(1)).isZero();
        assertThat(TailModel.score(1e-9)).isCloseTo(0.9, offset(1e-12));
        assertThat(TailModel.score(1e-4)).isCloseTo(1 - Math.pow(10, -4.0 / 9), offset(1e-12)).isCloseTo(0.6406, offset(1e-4));
        assertThat(TailModel.score(1e-18)).isCloseTo(0.99, offset(1e-12));
        assertThat(TailModel.score(0)).isEqualTo(1);
        double prev = -1;
        for (int e = 0; e <= 50; e++) {
            double s = TailModel.score(Math.pow(10, -e));
            assertThat(s).isGreaterThan(prev).isBetween(0.0, 1.0);
            prev = s;
            assertThat(TailModel.probabilityAt(s)).isCloseTo(Math.pow(10, -e), offset(Math.pow(10, -e) * 1e-6));
        }
        // Printed with 6 decimals (the backtest's output), the score reaches 1.000000 only below p ≈ 1e-56.
        assertThat(TailModel.score(1e-56)).isLessThan(0.9999995);
        assertThat(TailModel.score(1e-57)).isGreaterThanOrEqualTo(0.9999995);
    }

    @Test
    void probabilityWeightedMomentsRecoverTheGeneralisedPareto() {
        Random rnd = new Random(3);
        double[] heavy = new double[20_000];
        double[] exp = new double[20_000];
        for (int i = 0; i < heavy.length; i++) {
            double u = rnd.nextDouble();
            heavy[i] = 1.0 / 0.3 * (Math.pow(1 - u, -0.3) - 1); // GPD(σ = 1, ξ = 0.3)
            exp[i] = -2 * Math.log(1 - rnd.nextDouble()); // exponential, σ = 2 (ξ = 0)
        }
        double[] h = TailModel.fitPwm(heavy);
        assertThat(h[1]).isCloseTo(0.3, offset(0.03));
        assertThat(h[0]).isCloseTo(1.0, offset(0.05));
        double[] e = TailModel.fitPwm(exp);
        assertThat(e[1]).isBetween(0.0, 0.02);
        assertThat(e[0]).isCloseTo(2.0, offset(0.08));
        // A bounded sample (uniform excesses, ξ = −1) is read as exponential: the lightest tail assumed.
        double[] uni = new double[1000];
        for (int i = 0; i < uni.length; i++) uni[i] = rnd.nextDouble();
        assertThat(TailModel.fitPwm(uni)[1]).isZero();
    }

    /** i.i.d. noise through the detector: the share of windows at p ≤ q is about q, for normal and heavy tails. */
    @Test
    void exceedanceProbabilitiesAreCalibratedOnNormalAndHeavyTailedNoise() {
        for (String kind : new String[] {"normal", "student3"}) {
            SeasonalDetector d = new SeasonalDetector(CFG, SignalSpec.generic());
            SeasonalState st = new SeasonalState();
            Random rnd = new Random(17);
            int n = 200_000;
            int[] below = new int[4];
            int oldHigh = 0;
            int scored = 0;
            for (int i = 0; i < n; i++) {
                double x = kind.equals("normal") ? rnd.nextGaussian() : studentT3(rnd);
                DetectionResult r = d.update(st, i * MIN, 100 + 5 * x);
                if (i < 20_000) continue; // the tail's first weeks
                scored++;
                for (int k = 0; k < 4; k++) if (r.probability <= Math.pow(10, -(k + 1))) below[k]++;
                if (CFG.score(Math.abs(r.z)) >= 0.9) oldHigh++;
            }
            // p is the estimated rate of excursions (clusters) reaching this far; every window of an excursion counts
            // here, so the window shares run up to ~2× above q for normal noise and ~4× for Student t(3) at 1e-4.
            if (kind.equals("normal")) {
                assertThat(below).containsExactly(19235, 3850, 320, 14);
                assertThat(st.tailXi).containsExactly(0.0, 0.0); // exponential-type tail, as the normal's
                assertThat(oldHigh).isZero();
            } else {
                assertThat(below).containsExactly(18536, 3723, 444, 69);
                // t(3) has ξ = 1/3; the normal-shape score put 1,384 windows (0.77 %) at ≥ 0.9 (|z| ≥ 4.48).
                assertThat(st.tailXi[0]).isCloseTo(1.0 / 3, offset(0.06));
                assertThat(st.tailXi[1]).isCloseTo(1.0 / 3, offset(0.06));
                assertThat(oldHigh).isEqualTo(1384);
            }
            assertThat((double) below[2] / scored).isBetween(1e-3, 2.5e-3);
            assertThat((double) below[3] / scored).isLessThan(4e-4);
        }
    }

    static double studentT3(Random rnd) {
        double c = 0;
        for (int k = 0; k < 3; k++) {
            double g = rnd.nextGaussian();
            c += g * g;
        }
        return rnd.nextGaussian() / Math.sqrt(c / 3);
    }

    /** Sparse bursts on a zero base: every burst scores, larger bursts higher, none tied at the maximum. */
    @Test
    void burstsOfDifferentSizesAreRankedAndNoneSaturates() {
        SeasonalDetector d = new SeasonalDetector(CFG, SignalSpec.generic());
        SeasonalState st = new SeasonalState();
        Random rnd = new Random(23);
        long t = 0;
        for (int i = 0; i < 20_000; i++, t += MIN) {
            double v = rnd.nextDouble() < 0.01 ? 0.125 * (1 + rnd.nextInt(3)) : 0;
            if (i % 2000 == 1999) v = 5 + rnd.nextInt(5);
            d.update(st, t, v);
        }
        // Bursts of 5–9 every 2,000 windows are part of this series' normal: a burst of that size is about that
        // rare (p ≈ 1e-4 for 4), a larger one rarer; 128 (|z| ≈ 640) is p ≈ 1.8e-6, score 0.770, not 1.
        double prev = 0;
        double[] expected = {2.3160e-4, 9.8114e-5, 4.2949e-5, 1.9164e-5, 8.6445e-6, 3.9270e-6, 1.7933e-6};
        int i = 0;
        for (double burst : new double[] {2, 4, 8, 16, 32, 64, 128}) {
            d.update(st, t, 0);
            t += MIN;
            DetectionResult r = d.update(st, t, burst);
            t += MIN;
            assertThat(r.probability).isCloseTo(expected[i++], offset(expected[i - 1] * 1e-3));
            assertThat(r.score).isGreaterThan(prev).isLessThan(0.9999995);
            prev = r.score;
        }
    }

    /** A long excursion is one cluster: one peak in the ring, however many windows it lasts. */
    @Test
    void aLongExcursionIsOnePeak() {
        SeasonalDetector d = new SeasonalDetector(CFG, SignalSpec.generic());
        SeasonalState st = new SeasonalState();
        Random rnd = new Random(29);
        long t = 0;
        for (int i = 0; i < 3000; i++, t += MIN) d.update(st, t, 100 + rnd.nextGaussian());
        int before = st.tailCount[0];
        for (int i = 0; i < 20; i++, t += MIN) d.update(st, t, 110 + rnd.nextGaussian());
        for (int i = 0; i < 5; i++, t += MIN) d.update(st, t, 100 + 0.1 * rnd.nextGaussian());
        assertThat(st.tailCount[0] - before).isEqualTo(1);
        assertThat(st.tailPeaks[(st.tailCount[0] - 1) % TailModel.PEAKS]).isGreaterThan(5f);
    }
}
