package io.hawkeye.benchmarks;

import io.hawkeye.detect.DetectionResult;
import io.hawkeye.detect.SeasonalConfig;
import io.hawkeye.detect.SeasonalDetector;
import io.hawkeye.detect.SeasonalState;
import io.hawkeye.detect.SignalSpec;
import io.hawkeye.detect.multivariate.MultivariateConfig;
import io.hawkeye.detect.multivariate.MultivariateDetector;
import io.hawkeye.detect.multivariate.MultivariateModel;
import io.hawkeye.detect.multivariate.MultivariateResult;
import io.hawkeye.detect.multivariate.MultivariateState;
import io.hawkeye.detect.multivariate.RobustCovariance;
import io.hawkeye.detect.multivariate.ServiceFeatures;
import io.hawkeye.detect.multivariate.TailCalibration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import smile.anomaly.IsolationForest;

/**
 * Per-update cost of the detectors, one service / series, single thread:
 * <ul>
 *   <li>{@code iforestScore}: Smile isolation forest (100 trees, subsample 256, depth 8) score of one
 *       normalised 5-feature point;</li>
 *   <li>{@code relationshipScore}: robust Mahalanobis distance + calibration of one point;</li>
 *   <li>{@code multivariateScore}: {@link MultivariateDetector#score} — normalisation, both detectors, both
 *       calibrations (no attribution: a normal point);</li>
 *   <li>{@code multivariateUpdate}: {@link MultivariateDetector#update} with a full 512-row sample: score, sample
 *       admission and the refit every 60 windows, amortised;</li>
 *   <li>{@code refit}: one fit on 512 × 5 (forest, serialisation, training scores, robust covariance);</li>
 *   <li>{@code forestDeserialise}: reading a model's forest from its state bytes (a model-cache miss);</li>
 *   <li>{@code seasonalUpdate}: {@link SeasonalDetector#update} of a READY p99 series, 1-minute windows.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DetectBenchmark {
    static final int POINTS = 4096;

    MultivariateDetector detector;
    MultivariateState state;
    MultivariateModel model;
    IsolationForest forest;
    RobustCovariance cov;
    double[][] raw;
    double[][] z;
    int i;

    SeasonalDetector seasonal;
    SeasonalState seasonalState;
    long ts;
    SplittableRandom rnd;

    static double[] normal(SplittableRandom r) {
        double t = r.nextDouble();
        return ServiceFeatures.vector(20 * Math.exp(0.05 * r.nextGaussian()),
                100 * Math.exp(0.08 * r.nextGaussian()), Math.max(0, 0.01 + 0.002 * r.nextGaussian()),
                (50 + 150 * t) * Math.exp(0.03 * r.nextGaussian()), 0.2 + 0.6 * t + 0.015 * r.nextGaussian());
    }

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(1);
        detector = new MultivariateDetector(MultivariateConfig.defaults());
        state = new MultivariateState();
        for (int k = 0; k < 1000; k++) {
            MultivariateResult res = detector.update(state, model, normal(r));
            if (res.newModel() != null) model = res.newModel();
        }
        forest = detector.forest(model);
        cov = new RobustCovariance(model.center, model.precision);
        raw = new double[POINTS][];
        z = new double[POINTS][];
        for (int k = 0; k < POINTS; k++) {
            raw[k] = normal(r);
            z[k] = MultivariateDetector.normalise(model, raw[k]);
        }
        seasonal = new SeasonalDetector(SeasonalConfig.defaults(), SignalSpec.latency());
        seasonalState = new SeasonalState();
        rnd = new SplittableRandom(2);
        ts = 1_767_225_600_000L;
        for (int k = 0; k < 3 * 1440; k++) seasonalUpdate();
    }

    private int next() {
        return i = (i + 1) & (POINTS - 1);
    }

    @Benchmark
    public double iforestScore() {
        return forest.score(z[next()]);
    }

    @Benchmark
    public double relationshipScore() {
        return TailCalibration.score(cov.distance(z[next()]), model.distances);
    }

    @Benchmark
    public MultivariateResult multivariateScore() {
        return detector.score(model, raw[next()]);
    }

    @Benchmark
    public MultivariateResult multivariateUpdate() {
        MultivariateResult res = detector.update(state, model, raw[next()]);
        if (res.newModel() != null) model = res.newModel();
        return res;
    }

    @Benchmark
    public MultivariateModel refit() {
        return detector.fit(state);
    }

    @Benchmark
    public IsolationForest forestDeserialise() {
        return MultivariateDetector.deserialise(model.forest);
    }

    @Benchmark
    public DetectionResult seasonalUpdate() {
        ts += 60_000;
        double minuteOfDay = (ts / 60_000) % 1440;
        double v = 100 * (1 + 0.3 * Math.sin(2 * Math.PI * minuteOfDay / 1440)) * Math.exp(0.05 * rnd.nextGaussian());
        return seasonal.update(seasonalState, ts, v);
    }
}
