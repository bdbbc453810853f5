package io.hawkeye.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The unit-based minimum meaningful change of metric signals ({@link SignalSpec#forMetric}). */
class SignalSpecTest {
    static final SeasonalConfig CFG = SeasonalConfig.defaults();

    /**
     * A nearly empty queue as a metrics agent reports it (4 decimals): mean depth ~0.00021, so the reported value
     * is 0.0002 for long stretches and now and then 0.0003. Without a floor in the metric's units the learnt
     * spread is ~0 and one rounding step scores 1.0; with the {@code count} floor nothing scores.
     */
    static double maxScoreOnRoundedNearZeroQueue(SignalSpec spec) {
        SeasonalDetector d = new SeasonalDetector(CFG, spec);
        SeasonalState st = new SeasonalState();
        Random rnd = new Random(3);
        double max = 0;
        for (int i = 0; i < 2_000; i++) {
            double trueDepth = 0.00021 * (1 + 0.15 * rnd.nextGaussian());
            double reported = Math.round(trueDepth * 1e4) / 1e4;
            DetectionResult r = d.update(st, i * 10_000L, reported);
            if (r.state == DetectionResult.State.READY) max = Math.max(max, zs(r));
        }
        return max;
    }

    @Test
    void aRoundingStepOfANearZeroCountIsNoAnomaly() {
        // Before the data-aware noise floors (NoiseModel) the generic spec scored > 0.99 here; now its resolution
        // floor (the rounding grid 0.0001 learnt from the data: σ ≥ 0.00005) keeps one rounding step at |z| ≤ 2.
        assertThat(maxScoreOnRoundedNearZeroQueue(SignalSpec.generic())).as("generic spec, resolution floor")
                .isLessThanOrEqualTo(CFG.score(2.0) + 1e-12);
        assertThat(maxScoreOnRoundedNearZeroQueue(SignalSpec.forMetric("queue_depth", "count")))
                .as("after: count floor").isLessThan(0.1);
    }

    static double scoreOfStep(SignalSpec spec, double before, double after) {
        SeasonalDetector d = new SeasonalDetector(CFG, spec);
        SeasonalState st = new SeasonalState();
        for (int i = 0; i < 60; i++) d.update(st, i * 10_000L, before);
        return zs(d.update(st, 60 * 10_000L, after));
    }

    @Test
    void meaningfulChangesStillScore() {
        SignalSpec count = SignalSpec.forMetric("queue_depth", "count");
        assertThat(scoreOfStep(count, 0.0002, 1.0)).as("a queue forms").isGreaterThan(0.99);
        assertThat(scoreOfStep(SignalSpec.forMetric("replicas", "count"), 4, 3)).as("a replica lost")
                .isGreaterThan(0.99);
        assertThat(scoreOfStep(count, 0.0002, 0.0008)).as("four rounding steps").isLessThan(0.01);
        SignalSpec ratio = SignalSpec.forMetric("cpu_utilization", "ratio");
        assertThat(scoreOfStep(ratio, 0.09, 0.34)).isGreaterThan(0.99);
        assertThat(scoreOfStep(ratio, 0.09, 0.092)).isLessThan(0.1);
        assertThat(scoreOfStep(SignalSpec.forMetric("cpu_utilization", "percent"), 9, 34)).isGreaterThan(0.99);
        assertThat(scoreOfStep(SignalSpec.forMetric("cpu_utilization", "percent"), 9, 9.2)).isLessThan(0.1);
    }

    @Test
    void unitsWithoutANaturalGranularityAndRequestSignalsKeepTheirSpec() {
        SignalSpec bytes = SignalSpec.forMetric("heap_used", "bytes");
        assertThat(bytes.minSpread).isEqualTo(SignalSpec.generic().minSpread);
        assertThat(bytes.relSpread).isEqualTo(SignalSpec.generic().relSpread);
        assertThat(SignalSpec.forMetric("p99_ms", "count").transform).isEqualTo(SignalSpec.Transform.LOG);
        assertThat(SignalSpec.forMetric("error_rate", "ratio").minSpread).isEqualTo(0.005);
        assertThat(SignalSpec.forMetric("queue_depth", null).minSpread).isEqualTo(SignalSpec.generic().minSpread);
        assertThat(SignalSpec.forMetric("q", "Count").minSpread).isEqualTo(0.05);
    }

    /**
     * The normal-shape score of the result's robust z (the detector's score before the tail model): what these
     * tests of the baselines and noise floors measure; the tail model's score is tested in TailModelTest.
     */
    static double zs(DetectionResult r) {
        return r.learning() ? 0 : SeasonalConfig.defaults().score(Math.abs(r.z));
    }
}
