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
        assertThat(TailModel.score(1e-18)).isCloseTo(0.95, offset(1e-12));
        assertThat(TailModel.score(1e-90)).isCloseTo(0.99, offset(1e-12));
        assertThat(TailModel.scoreOfLog(-1e4 * Math.log(10))).isCloseTo(1 - 0.9e-4, offset(1e-12)); // p = 1e-10000
        assertThat(TailModel.score(0)).isEqualTo(1);
        double prev = -1;
        for (int e = 0; e <= 300; e++) {
            double s = TailModel.score(Math.pow(10, -e));
            assertThat(s).isGreaterThan(prev).isBetween(0.0, 1.0);
            prev = s;
            assertThat(TailModel.probabilityAt(s)).isCloseTo(Math.pow(10, -e), offset(Math.pow(10, -e) * 1e-6 * (1 + e)));
        }
        // Printed with 6 decimals (the backtest's output), the score reaches 1.000000 only at L = −log10 p ≈ 1.8e6.
        assertThat(TailModel.scoreOfLog(-1.7e6 * Math.log(10))).isLessThan(0.9999995);
        assertThat(TailModel.scoreOfLog(-1.9e6 * Math.log(10))).isGreaterThanOrEqualTo(0.9999995);
        assertThat(TailModel.scoreOfLog(Double.NEGATIVE_INFINITY)).isEqualTo(1);
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
            MinuteFeed f = new MinuteFeed(SignalSpec.generic());
            Random rnd = new Random(17);
            int n = 200_000;
            int[] below = new int[4];
            int oldHigh = 0;
            int scored = 0;
            for (int i = 0; i < n; i++) {
                double x = kind.equals("normal") ? rnd.nextGaussian() : studentT3(rnd);
                DetectionResult r = f.next(100 + 5 * x);
                if (i < 20_000) continue; // the tail's first weeks
                scored++;
                for (int k = 0; k < 4; k++) if (r.probability <= Math.pow(10, -(k + 1))) below[k]++;
                if (CFG.score(Math.abs(r.z)) >= 0.9) oldHigh++;
            }
            // p is the estimated rate of excursions (clusters) reaching this far; every window of an excursion counts
            // here, so the window shares run up to ~2× above q for normal noise and ~5× for Student t(3) at 1e-4.
            if (kind.equals("normal")) {
                assertThat(below).containsExactly(19824, 3911, 309, 14);
                // exponential-type tail, as the normal's (PWM's standard error of ξ on 64 peaks is ~0.25)
                assertThat(f.state.tailXi[0]).isBetween(0.0, 0.05);
                assertThat(f.state.tailXi[1]).isBetween(0.0, 0.05);
                assertThat(oldHigh).isZero();
            } else {
                assertThat(below).containsExactly(19177, 3747, 473, 82);
                // t(3) has ξ = 1/3; the normal-shape score put 1,465 windows (0.81 %) at ≥ 0.9 (|z| ≥ 4.48).
                // (a snapshot of the last 64 peaks: PWM's standard error of ξ there is ~0.25)
                assertThat(f.state.tailXi[0]).as("up").isCloseTo(1.0 / 3, offset(0.15));
                assertThat(f.state.tailXi[1]).as("down").isCloseTo(1.0 / 3, offset(0.15));
                assertThat(oldHigh).isEqualTo(1465);
            }
            assertThat((double) below[2] / scored).isBetween(1e-3, 3e-3);
            assertThat((double) below[3] / scored).isLessThan(5e-4);
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
        MinuteFeed f = new MinuteFeed(SignalSpec.generic());
        Random rnd = new Random(23);
        for (int i = 0; i < 20_000; i++) {
            double v = rnd.nextDouble() < 0.01 ? 0.125 * (1 + rnd.nextInt(3)) : 0;
            if (i % 2000 == 1999) v = 5 + rnd.nextInt(5);
            f.next(v);
        }
        // Bursts of 5–9 every 2,000 windows: rarer than once a week (10,080 windows) they enter the tail only at
        // the once-a-week level (winsorised), so they stay anomalous; larger bursts score higher, 128 (|z| ≈ 640)
        // at p ≈ 3.2e-9, score 0.886, not 1.
        double prev = 0;
        double[] expected = {6.3909e-6, 1.5960e-6, 4.3443e-7, 1.2370e-7, 3.6074e-8, 1.0673e-8, 3.1887e-9};
        int i = 0;
        for (double burst : new double[] {2, 4, 8, 16, 32, 64, 128}) {
            f.next(0);
            DetectionResult r = f.next(burst);
            assertThat(r.probability).isCloseTo(expected[i++], offset(expected[i - 1] * 1e-3));
            assertThat(r.score).isGreaterThan(prev).isLessThan(0.9999995);
            prev = r.score;
        }
    }

    /**
     * A long excursion is one cluster: one peak in the ring, however many windows it lasts; a 10-σ excursion, rarer
     * than once a week, enters only at the once-a-week level (winsorised).
     */
    @Test
    void aLongExcursionIsOnePeak() {
        MinuteFeed f = new MinuteFeed(SignalSpec.generic());
        Random rnd = new Random(29);
        for (int i = 0; i < 3000; i++) f.next(100 + rnd.nextGaussian());
        int before = f.state.tailCount[0];
        for (int i = 0; i < 20; i++) f.next(110 + rnd.nextGaussian());
        for (int i = 0; i < 5; i++) f.next(100 + 0.1 * rnd.nextGaussian());
        assertThat(f.state.tailCount[0] - before).isEqualTo(1);
        assertThat(f.state.tailPeaks[(f.state.tailCount[0] - 1) % TailModel.PEAKS]).isCloseTo(1.6543f, offset(1e-4f));
    }

    /** The false-alarm budget's fire and keep scores (TailModel.budgetPolicy) per window size. */
    @Test
    void budgetSetsTheFireScoreFromTheWindowsPerWeek() {
        io.hawkeye.alerts.LifecyclePolicy base = new io.hawkeye.alerts.LifecyclePolicy(0.9, 0.7, 2, 5, 3);
        io.hawkeye.alerts.LifecyclePolicy minute = TailModel.budgetPolicy(base, 1, MIN);
        // 10,080 one-minute windows a week: fire at p ≤ 1/10080 (score 0.6409), keep at p ≤ 10/10080 (0.5362).
        assertThat(minute.fireScore).isCloseTo(TailModel.score(1 / 10080.0), offset(1e-12)).isCloseTo(0.6409, offset(1e-4));
        assertThat(minute.keepScore).isCloseTo(0.5362, offset(1e-4));
        assertThat(minute.forWindows).isEqualTo(2);
        assertThat(minute.quietWindows).isEqualTo(3);
        assertThat(TailModel.budgetPolicy(base, 1, 5 * MIN).fireScore).isCloseTo(0.5707, offset(1e-4)); // 2,016 windows a week
        assertThat(TailModel.budgetPolicy(base, 0.1, MIN).fireScore).isCloseTo(TailModel.score(1 / 100800.0), offset(1e-12));
        // for = 2: one window at p ≤ (1/10080)² (score 0.871) fires at once; without a budget never.
        assertThat(minute.fireAtOnceScore).isCloseTo(TailModel.score(1 / (10080.0 * 10080.0)), offset(1e-12))
                .isCloseTo(0.8711, offset(1e-4));
        assertThat(base.fireAtOnceScore).isInfinite();
        io.hawkeye.alerts.LifecycleState life = new io.hawkeye.alerts.LifecycleState();
        assertThat(io.hawkeye.alerts.AlertLifecycle.step(minute, life, 0.80, 0, MIN))
                .isEqualTo(io.hawkeye.alerts.AlertLifecycle.Action.NONE); // above fire, below at-once: waits for 2
        assertThat(io.hawkeye.alerts.AlertLifecycle.step(minute, life, 0.30, MIN, 2 * MIN))
                .isEqualTo(io.hawkeye.alerts.AlertLifecycle.Action.NONE);
        assertThat(io.hawkeye.alerts.AlertLifecycle.step(minute, life, 0.89, 2 * MIN, 3 * MIN))
                .isEqualTo(io.hawkeye.alerts.AlertLifecycle.Action.FIRE);
        assertThat(life.startsAt).isEqualTo(2 * MIN);
        assertThat(TailModel.budgetPolicy(TailModel.budgetPolicy(base, 1, MIN), 1, MIN).fireAtOnceScore).isEqualTo(minute.fireAtOnceScore);
        assertThat(TailModel.budgetPolicy(base, 0, MIN)).isSameAs(base);
        assertThat(TailModel.budgetPolicy(base, 1, 0)).isSameAs(base);
    }
}
