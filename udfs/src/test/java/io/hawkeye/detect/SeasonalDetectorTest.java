package io.hawkeye.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeasonalDetectorTest {
    static final SeasonalConfig CFG = SeasonalConfig.defaults();

    static List<DetectionResult> run(SeasonalDetector d, SeasonalState st, long[] ts, double[] v) {
        List<DetectionResult> out = new ArrayList<>();
        for (int i = 0; i < v.length; i++) out.add(d.update(st, ts[i], v[i]));
        return out;
    }

    /**
     * A state restored from a version without the weekly level reads it as 0: the next update starts it at the
     * daily model's level, and the series keeps scoring as normal instead of the weekly candidate predicting 0.
     */
    @Test
    void weeklyLevelMissingFromAnOlderStateStartsAtTheDailyLevel() {
        MinuteFeed f = new MinuteFeed(SignalSpec.latency());
        SeasonalState st = f.state;
        Random rnd = new Random(3);
        for (int i = 0; i < 9 * 1440; i++) f.next(dailyLatency(f.t, rnd));
        st.levelW = 0;
        st.biasD = 0;
        st.biasW = 0;
        int high = 0;
        for (int i = 0; i < 1440; i++) {
            DetectionResult r = f.next(dailyLatency(f.t, rnd));
            if (i == 0) assertThat(st.levelW).isNotZero().isCloseTo(st.levelS, org.assertj.core.data.Offset.offset(0.05));
            if (zs(r) >= 0.9) high++;
        }
        assertThat(high).isLessThanOrEqualTo(3);
    }

    /** A latency of 100 ms with a ±30 % daily rhythm and 5 % noise at {@code t}. */
    static double dailyLatency(long t, Random rnd) {
        double daily = 1 + 0.3 * Math.sin(2 * Math.PI * (t % 86_400_000L) / 86_400_000.0);
        return 100 * daily * Math.exp(0.05 * rnd.nextGaussian());
    }

    @Test
    void scoreMapIsCalibratedAndMonotone() {
        assertThat(CFG.score(0)).isZero();
        assertThat(CFG.score(3)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(CFG.zAt(0.9)).isCloseTo(4.48, org.assertj.core.data.Offset.offset(0.01));
        assertThat(CFG.score(CFG.zAt(0.7))).isCloseTo(0.7, org.assertj.core.data.Offset.offset(1e-12));
        double prev = -1;
        for (double z = 0; z < 20; z += 0.1) {
            assertThat(CFG.score(z)).isGreaterThanOrEqualTo(prev).isBetween(0.0, 1.0);
            prev = CFG.score(z);
        }
    }

    @Test
    void reportsLearningThenScoresSpikesOnAFlatSeries() {
        Random rnd = new Random(1);
        int n = 500;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = 50 + rnd.nextGaussian();
        v[300] = 60;
        List<DetectionResult> r = new MinuteFeed(SignalSpec.generic()).run(v);
        for (int i = 0; i < CFG.minLearnWindows(); i++) {
            assertThat(r.get(i).state).isEqualTo(DetectionResult.State.LEARNING);
            assertThat(r.get(i).score).isZero();
        }
        assertThat(r.get(CFG.minLearnWindows()).state).isEqualTo(DetectionResult.State.READY);
        assertThat(zs(r.get(300))).isGreaterThan(0.99);
        assertThat(r.get(300).direction).isEqualTo(1);
        assertThat(r.get(300).upper).isBetween(52.0, 58.0);
        assertThat(r.get(300).expected).isCloseTo(50, org.assertj.core.data.Offset.offset(1.0));
        // The spike did not poison the baseline: the next window is normal again and the band is unchanged.
        assertThat(zs(r.get(301))).isLessThan(0.9);
        assertThat(r.get(301).upper - r.get(301).lower).isLessThan(1.2 * (r.get(299).upper - r.get(299).lower));
        long spikeTs = 300 * MinuteFeed.MIN;
        long falseAlarms = r.stream().skip(CFG.minLearnWindows()).filter(x -> x.timestamp != spikeTs && zs(x) >= 0.9)
                .count();
        assertThat(falseAlarms).isLessThanOrEqualTo(1);
        assertThat(r.get(400).model).isEqualTo("level");
    }

    @Test
    void persistentLevelShiftBecomesTheNewNormal() {
        Random rnd = new Random(2);
        int n = 400;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (i >= 200 ? 80 : 50) + rnd.nextGaussian();
        List<DetectionResult> r = new MinuteFeed(SignalSpec.generic()).run(v);
        assertThat(zs(r.get(200))).isGreaterThan(0.99);
        // Flagged while the shift is new ...
        assertThat(r.subList(200, 200 + 20)).allMatch(x -> zs(x) >= 0.9);
        // ... accepted after adaptAfterWindows.
        assertThat(r.subList(200 + CFG.adaptAfterWindows() + 5, n)).allMatch(x -> zs(x) < 0.9);
        assertThat(r.get(n - 1).expected).isCloseTo(80, org.assertj.core.data.Offset.offset(1.0));
    }

    /**
     * Three weeks at 5-minute resolution with a daily and weekly rhythm: the detector needs two weeks to learn
     * the weekly part (weekends are quieter), so quality is asserted in week 3.
     */
    @Test
    void learnsDailyAndWeeklyRhythmIncludingANormalPeriodicSpikeAndFindsInjectedAnomalies() {
        Synthetic s = new Synthetic(21, 7, true);
        SeasonalDetector d = new SeasonalDetector(CFG, SignalSpec.generic());
        SeasonalState st = new SeasonalState();
        List<DetectionResult> r = run(d, st, s.ts, s.value);
        int day = Synthetic.PER_DAY;
        // No alarm on the daily 03:00 batch spike once learnt (day 7, the first Monday, still follows the first
        // weekend, which the daily model had not seen; the weekly one takes two weeks).
        for (int k = 8; k < 19; k++) {
            for (int w = 36; w < 38; w++) {
                assertThat(zs(r.get(k * day + w))).as("periodic spike day %d", k).isLessThan(0.9);
            }
        }
        assertThat(r.get(15 * day).model).isIn("daily", "weekly");
        assertThat(r.get(15 * day).seasonalStrength).isGreaterThan(CFG.minSeasonalStrength());
        // Every injected anomaly is detected at its first window.
        assertThat(zs(r.get(15 * day + 168))).isGreaterThan(0.9);
        assertThat(zs(r.get(16 * day + 132))).isGreaterThan(0.9);
        assertThat(r.get(16 * day + 132).direction).isEqualTo(-1);
        // The -50 % dip at the evening trough falls in a time-of-week bucket seen only twice: scored, not yet alerted.
        assertThat(zs(r.get(17 * day + 240))).isGreaterThan(0.7);
        // Known weakness: the shift starts on a Saturday morning, where the daily model (weekday amplitude) still
        // half-explains it, so its first windows score 0.68–0.86 (seen, below the 0.9 firing threshold).
        assertThat(r.subList(19 * day + 96, 19 * day + 99)).anyMatch(x -> zs(x) > 0.85);
        int fp = 0;
        for (int i = 14 * day; i < 19 * day; i++) if (!s.label[i] && zs(r.get(i)) >= 0.9) fp++;
        assertThat(fp).as("false positives in 5 days").isLessThanOrEqualTo(2);
        assertThat(st.approximateBytes()).isLessThan(5500); // 4.8 KB + the tail model (64 peaks per side: 0.6 KB)
    }

    @Test
    void rateDropToZeroIsScoredFromAbsence() {
        MinuteFeed f = new MinuteFeed(SignalSpec.rate());
        Random rnd = new Random(3);
        for (int i = 0; i < 200; i++) f.next(20 + rnd.nextGaussian());
        DetectionResult absent = f.detector.updateAbsent(f.state, f.t, 5);
        assertThat(absent).isNotNull();
        assertThat(absent.value).isZero();
        assertThat(zs(absent)).isGreaterThan(0.99);
        assertThat(absent.direction).isEqualTo(-1);
        // A quiet series (0.01 rps = 0.6 per minute) does not turn an empty window into an observation.
        MinuteFeed quiet = new MinuteFeed(SignalSpec.rate());
        for (int i = 0; i < 200; i++) quiet.next(0.01);
        assertThat(quiet.detector.updateAbsent(quiet.state, quiet.t, 5)).isNull();
    }

    @Test
    void ignoresDuplicatesAndNonFiniteValues() {
        SeasonalDetector d = new SeasonalDetector(CFG, SignalSpec.generic());
        SeasonalState st = new SeasonalState();
        d.update(st, 0, 1);
        d.update(st, 60_000, 2);
        assertThat(d.update(st, 60_000, 3)).isNull();
        assertThat(d.update(st, 120_000, Double.NaN)).isNull();
        assertThat(st.n).isEqualTo(2);
    }
    /**
     * An error rate of 24 requests per window at 0.5 %: single failed requests (4.2 %) are no evidence of an error
     * burst once the request count is known, while a 30 % burst still fires at once.
     */
    @Test
    void errorRateOfFewRequestsAllowsForBinomialNoise() {
        SeasonalDetector d = new SeasonalDetector(CFG, SignalSpec.errorRate());
        SeasonalState withCount = new SeasonalState();
        SeasonalState without = new SeasonalState();
        Random rnd = new Random(4);
        int n = 24;
        int highWith = 0;
        int highWithout = 0;
        for (int i = 0; i < 3000; i++) {
            int errors = 0;
            for (int k = 0; k < n; k++) if (rnd.nextDouble() < 0.005) errors++;
            double rate = errors / (double) n;
            long ts = i * 60_000L;
            if (zs(d.update(withCount, ts, rate, n)) >= 0.9) highWith++;
            if (zs(d.update(without, ts, rate)) >= 0.9) highWithout++;
        }
        // Before the data-aware noise floors, > 100 windows scored ≥ 0.9 without the count (~11 % of windows have an
        // error: each one a 100-sigma event). Now the rates of 24 requests are on a grid of 1/24, and the
        // resolution floor (σ ≥ 1/48, NoiseModel) keeps one error at |z| ≤ 2 even without the count.
        assertThat(highWithout).isZero();
        assertThat(highWith).isZero();
        DetectionResult burst = d.update(withCount, 3000 * 60_000L, 7 / 24.0, n);
        assertThat(zs(burst)).isGreaterThanOrEqualTo(0.9);
        assertThat(SeasonalDetector.binomialVariance(0.005, 1000)).isCloseTo(0.0025 * 0.0025,
                org.assertj.core.data.Offset.offset(2e-6));
    }

    /**
     * A series that was never negative never has a negative expectation: a daily profile that learnt an error burst
     * at 16:00 and then lowered its level pushed the expected error rate below 0 at that hour, and 0.000 scored as
     * an excursion above it (the simulator's postgres, 2024-01-13 16:10–16:48).
     */
    @Test
    void aNonNegativeSeriesIsNeverExpectedBelowZero() {
        SeasonalDetector d = new SeasonalDetector(CFG, SignalSpec.errorRate());
        SeasonalState st = new SeasonalState();
        long t = 0;
        for (int i = 0; i < 100; i++, t += 60_000L) d.update(st, t, 0.001 * (i % 2), 4000);
        // Drive the level below zero the way a profile extrapolation can: the expected value is then clamped at 0.
        st.levelL = -0.05;
        DetectionResult r = d.update(st, t, 0.0, 4000);
        assertThat(r.expected).isZero();
        assertThat(r.z).isZero();
        assertThat(r.score).isZero();
        // A signed series is left alone.
        SeasonalDetector g = new SeasonalDetector(CFG, SignalSpec.generic());
        SeasonalState sg = new SeasonalState();
        t = 0;
        for (int i = 0; i < 100; i++, t += 60_000L) g.update(sg, t, -0.001 * (i % 2));
        sg.levelL = -0.05;
        assertThat(g.update(sg, t, 0.0).expected).isCloseTo(-0.05, org.assertj.core.data.Offset.offset(1e-9));
    }

    /** A shift the baseline adopted (after 30 windows), then a return: the return scores against the old level. */
    @Test
    void recoveryToThePreShiftLevelRestoresTheOldBaselineInsteadOfAlerting() {
        double fire = TailModel.budgetPolicy(io.hawkeye.alerts.LifecyclePolicy.seasonalDefault(), 1, 60_000L).fireScore;
        for (boolean late : new boolean[] {false, true}) {
            MinuteFeed f = new MinuteFeed(SignalSpec.generic());
            SeasonalState st = f.state;
            Random rnd = new Random(8);
            for (int i = 0; i < 500; i++) f.next(100 + rnd.nextGaussian());
            // The fault: 130 for 60 windows (the level moves there after 30) — or, with late, for 8 days.
            int faultWindows = late ? 8 * 1440 : 60;
            List<DetectionResult> fault = new ArrayList<>();
            for (int i = 0; i < faultWindows; i++) fault.add(f.next(130 + rnd.nextGaussian()));
            assertThat(fault.get(0).score).isGreaterThan(fire); // the shift itself is an anomaly
            assertThat(fault.get(faultWindows - 1).expected).isCloseTo(130, org.assertj.core.data.Offset.offset(2.0));
            List<DetectionResult> back = new ArrayList<>();
            for (int i = 0; i < 60; i++) back.add(f.next(100 + rnd.nextGaussian()));
            if (!late) {
                // Within a week of the shift: the first window back is scored against the old level 100.
                assertThat(back.get(0).expected).isCloseTo(100, org.assertj.core.data.Offset.offset(2.0));
                assertThat(back).allMatch(r -> r.score < fire);
                assertThat(st.shiftTs).isZero();
            } else {
                // A shift that held for more than a week was the new normal: going back is a change again, scored
                // against 130 (how high depends on the tail the series learnt in those 8 days).
                assertThat(back.get(0).expected).isCloseTo(130, org.assertj.core.data.Offset.offset(2.0));
                assertThat(back.get(0).z).isLessThan(-3.5);
                assertThat(st.shiftTs).isPositive();
            }
        }
    }

    /** After a shift up was adopted, a further shift up is no recovery: it scores as an anomaly. */
    @Test
    void aFurtherShiftIsNoRecovery() {
        double fire = TailModel.budgetPolicy(io.hawkeye.alerts.LifecyclePolicy.seasonalDefault(), 1, 60_000L).fireScore;
        MinuteFeed f = new MinuteFeed(SignalSpec.generic());
        SeasonalState st = f.state;
        Random rnd = new Random(9);
        for (int i = 0; i < 500; i++) f.next(100 + rnd.nextGaussian());
        for (int i = 0; i < 60; i++) f.next(130 + rnd.nextGaussian());
        long shiftTs = st.shiftTs;
        assertThat(shiftTs).isPositive();
        DetectionResult r = f.next(160 + rnd.nextGaussian());
        assertThat(r.score).isGreaterThan(fire);
        assertThat(r.expected).isCloseTo(130, org.assertj.core.data.Offset.offset(2.0));
        assertThat(st.shiftTs).isEqualTo(shiftTs);
    }

    /**
     * The normal-shape score of the result's robust z (the detector's score before the tail model): what these
     * tests of the baselines and noise floors measure; the tail model's score is tested in TailModelTest.
     */
    static double zs(DetectionResult r) {
        return r.learning() ? 0 : SeasonalConfig.defaults().score(Math.abs(r.z));
    }

    /**
     * Noise that depends on the time of day (a 5-minute series whose trough is five times quieter than its peak): the
     * daily model's spread at a bucket pools the hour around it. Every bucket's estimate stays at or above 0.85 of
     * the true noise there (one bucket's own spread, four samples, went down to half of it on these seeds: its
     * normal windows scored at twice their z), and the pooled spread still follows the cycle: at the peak it is
     * over twice the trough's, where one model-wide spread would be the same everywhere.
     */
    @Test
    void theDailySpreadPoolsTheHourAroundABucketAndFollowsTheTimeOfDay() {
        long step = 300_000L;
        int perDay = 288;
        for (long seed = 1; seed <= 3; seed++) {
            SeasonalDetector d = new SeasonalDetector(CFG, SignalSpec.generic());
            SeasonalState st = new SeasonalState();
            Random rnd = new Random(seed);
            for (int i = 0; i < 14 * perDay; i++) {
                double c = (1 - Math.cos(2 * Math.PI * (i % perDay) / perDay)) / 2;
                d.update(st, i * step, 10 + 10 * c + (0.1 + 0.4 * c) * rnd.nextGaussian());
            }
            double lowest = Double.POSITIVE_INFINITY;
            for (int b = 0; b < perDay; b++) {
                double c = (1 - Math.cos(2 * Math.PI * b / perDay)) / 2;
                double sigma = SeasonalDetector.SIGMA_PER_MAD * SeasonalDetector.dailySpread(st, b);
                lowest = Math.min(lowest, sigma / (0.1 + 0.4 * c));
                assertThat(sigma).as("seed %d bucket %d", seed, b).isLessThan(3 * (0.1 + 0.4 * c));
            }
            assertThat(lowest).as("seed %d", seed).isGreaterThanOrEqualTo(0.85);
            assertThat(SeasonalDetector.dailySpread(st, perDay / 2))
                    .isGreaterThan(2 * SeasonalDetector.dailySpread(st, 0));
        }
    }
}
