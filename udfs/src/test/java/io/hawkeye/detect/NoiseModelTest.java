package io.hawkeye.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The data-aware noise floors ({@link NoiseModel}) through the detector's one entry point. */
class NoiseModelTest {
    static final SeasonalConfig CFG = SeasonalConfig.defaults();

    /** CPU in steps of 0.066 around 0.33, constant most of the time (the failure of issue 12). */
    @Test
    void aQuantisedSeriesSteppingByOneQuantumScoresBelowTheFireThreshold() {
        MinuteFeed f = new MinuteFeed(SignalSpec.generic());
        Random rnd = new Random(11);
        for (int i = 0; i < 3000; i++) {
            int k = rnd.nextDouble() < 0.05 ? (rnd.nextBoolean() ? 1 : -1) : 0;
            f.next(0.33 + 0.066 * k);
        }
        assertThat(f.state.quantum).isCloseTo(0.066, offset(1e-9));
        assertThat(NoiseModel.kind(f.state)).isEqualTo(NoiseModel.Kind.RATIO);
        DetectionResult up = f.next(0.33 + 0.066);
        // σ ≥ q/2: one quantum is |z| ≤ 2.
        assertThat(Math.abs(up.z)).isLessThanOrEqualTo(2.0 + 1e-9);
        assertThat(zs(up)).isLessThanOrEqualTo(CFG.score(2.0) + 1e-12).isLessThan(0.9);
        DetectionResult down = f.next(0.33 - 0.066);
        assertThat(zs(down)).isLessThan(0.9);
        // Ten quanta is a real change.
        DetectionResult big = f.next(0.33 + 10 * 0.066);
        assertThat(zs(big)).isGreaterThanOrEqualTo(0.99);
    }

    /** Mostly 0 with an occasional 1: a single 1 is no anomaly, a burst of 10 is. */
    @Test
    void aSparseCountSeriesDoesNotAlertOnASingleOne() {
        MinuteFeed f = new MinuteFeed(SignalSpec.generic());
        Random rnd = new Random(5);
        for (int i = 0; i < 5000; i++) f.next(rnd.nextDouble() < 0.02 ? 1 : 0);
        assertThat(NoiseModel.kind(f.state)).isEqualTo(NoiseModel.Kind.COUNT);
        assertThat(f.state.quantum).isEqualTo(1.0);
        // Bring it back to 0 first (the last value may have been a 1), then a single 1, then two in a row.
        f.next(0);
        DetectionResult one = f.next(1);
        assertThat(zs(one)).isLessThanOrEqualTo(CFG.score(2.0) + 1e-12).isLessThan(0.9);
        DetectionResult again = f.next(1);
        assertThat(zs(again)).isLessThan(0.9);
        DetectionResult burst = f.next(10);
        assertThat(zs(burst)).isGreaterThanOrEqualTo(0.99);
    }

    /** Counts of events (Poisson(4)) are floored by their Poisson noise √4 = 2; an integer gauge is not. */
    @Test
    void countsAreFlooredByPoissonNoiseGaugesAreNot() {
        MinuteFeed f = new MinuteFeed(SignalSpec.generic());
        Random rnd = new Random(9);
        for (int i = 0; i < 3000; i++) f.next(poisson(rnd, 4));
        assertThat(NoiseModel.kind(f.state)).isEqualTo(NoiseModel.Kind.COUNT);
        assertThat(NoiseModel.movesLikePoisson(f.state, 4)).isTrue();
        assertThat(NoiseModel.sigmaFloor(f.state, SignalSpec.generic(), 4)).isCloseTo(2.0, offset(1e-12));
        DetectionResult big = f.next(24);
        assertThat(zs(big)).isGreaterThanOrEqualTo(0.99);

        // Four replicas, constant: no moves, no Poisson floor; one lost is a real change.
        MinuteFeed gauge = new MinuteFeed(SignalSpec.generic());
        for (int i = 0; i < 500; i++) gauge.next(4);
        assertThat(NoiseModel.kind(gauge.state)).isEqualTo(NoiseModel.Kind.COUNT);
        assertThat(NoiseModel.sigmaFloor(gauge.state, SignalSpec.generic(), 4)).isZero();
        assertThat(gauge.next(3).score).isGreaterThanOrEqualTo(0.99);
        assertThat(NoiseModel.sameProbability(4)).isCloseTo(Math.exp(-8) * besselI0(8), offset(1e-12));
    }

    static int poisson(Random rnd, double lambda) {
        double l = Math.exp(-lambda);
        double p = 1;
        int k = 0;
        do {
            k++;
            p *= rnd.nextDouble();
        } while (p > l);
        return k - 1;
    }

    /** I₀(x) by its series, independently of the code under test's loop. */
    static double besselI0(double x) {
        double s = 0;
        double f = 1;
        for (int k = 0; k < 60; k++) {
            if (k > 0) f *= k;
            s += Math.pow(x / 2, 2 * k) / (f * f);
        }
        return s;
    }

    /** A genuine 10-σ shift of a continuous series still scores ≥ 0.99; the move floor does not bind there. */
    @Test
    void aTenSigmaShiftOfANormalSeriesStillScoresHigh() {
        MinuteFeed f = new MinuteFeed(SignalSpec.generic());
        Random rnd = new Random(7);
        for (int i = 0; i < 5000; i++) f.next(50 + rnd.nextGaussian());
        assertThat(NoiseModel.kind(f.state)).isEqualTo(NoiseModel.Kind.PERCENT);
        // Move floor ≈ σ₀/2 for i.i.d. normal noise (σ₀ = 1): below the learnt spread, so it never binds.
        assertThat(NoiseModel.sigmaFloor(f.state, SignalSpec.generic(), 50)).isCloseTo(0.5, offset(0.03));
        DetectionResult r = f.next(60);
        assertThat(r.z).isGreaterThan(6);
        assertThat(zs(r)).isGreaterThanOrEqualTo(0.99);
    }

    /** σ is never zero: constant series, at 0 and elsewhere, and after they start to move. */
    @Test
    void theSpreadIsNeverZero() {
        for (double level : new double[] {0, 1e-4, 7, -3}) {
            MinuteFeed f = new MinuteFeed(SignalSpec.generic());
            for (int i = 0; i < 2000; i++) {
                double v = i < 1000 ? level : level + (i % 7 == 0 ? 1e-3 : 0);
                DetectionResult r = f.next(v);
                if (r.state == DetectionResult.State.READY) {
                    assertThat(r.upper - r.lower).as("band at %s, i %d", level, i).isGreaterThan(0);
                    assertThat(Double.isFinite(r.z)).isTrue();
                }
            }
        }
    }

    @Test
    void kindsFromRangeAndIntegrality() {
        assertThat(kindOf(0, 3, 1, 0, 2)).isEqualTo(NoiseModel.Kind.COUNT);
        assertThat(kindOf(0, 0.5, 0.25, 1)).isEqualTo(NoiseModel.Kind.RATIO);
        assertThat(kindOf(12.5, 80, 99.5)).isEqualTo(NoiseModel.Kind.PERCENT);
        assertThat(kindOf(120.5, 3000.25)).isEqualTo(NoiseModel.Kind.POSITIVE);
        assertThat(kindOf(0.5, -1.5, 2)).isEqualTo(NoiseModel.Kind.SIGNED);
    }

    /** The noise model's state is a fixed set of scalars: bounded whatever the length of the series. */
    @Test
    void stateStaysBounded() {
        MinuteFeed f = new MinuteFeed(SignalSpec.generic());
        Random rnd = new Random(1);
        for (int i = 0; i < 1000; i++) f.next(rnd.nextGaussian());
        int bytes = f.state.approximateBytes();
        for (int i = 0; i < 50_000; i++) f.next(rnd.nextGaussian());
        assertThat(f.state.approximateBytes()).isEqualTo(bytes);
    }

    private static NoiseModel.Kind kindOf(double... values) {
        SeasonalState st = new SeasonalState();
        for (double v : values) NoiseModel.observe(st, v, v);
        return NoiseModel.kind(st);
    }

    /**
     * The normal-shape score of the result's robust z (the detector's score before the tail model): what these
     * tests of the baselines and noise floors measure; the tail model's score is tested in TailModelTest.
     */
    static double zs(DetectionResult r) {
        return r.learning() ? 0 : SeasonalConfig.defaults().score(Math.abs(r.z));
    }
}
