package io.hawkeye.benchmarks;

import java.util.SplittableRandom;

/**
 * Deterministic latency-like data: lognormal with a median of 25 ms and sigma 0.8 (p99 ≈ 160 ms), the shape of
 * request latencies. Seeded, so every benchmark run sees the same values.
 */
public final class LatencyData {
    public static final double MEDIAN_MS = 25.0;
    public static final double SIGMA = 0.8;

    private LatencyData() {}

    public static double[] lognormal(int n, long seed) {
        return lognormal(n, seed, MEDIAN_MS, SIGMA);
    }

    public static double[] lognormal(int n, long seed, double medianMs, double sigma) {
        SplittableRandom rng = new SplittableRandom(seed);
        double mu = Math.log(medianMs);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.exp(mu + sigma * gaussian(rng));
        }
        return out;
    }

    /** A standard normal variate (Marsaglia polar method; SplittableRandom has no nextGaussian on JDK 17). */
    static double gaussian(SplittableRandom rng) {
        double u;
        double v;
        double s;
        do {
            u = rng.nextDouble(-1.0, 1.0);
            v = rng.nextDouble(-1.0, 1.0);
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }
}
