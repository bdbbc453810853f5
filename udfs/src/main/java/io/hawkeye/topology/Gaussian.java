package io.hawkeye.topology;

import java.util.SplittableRandom;

/**
 * Standard normal samples by the Box–Muller transform. Implemented here rather than
 * {@code RandomGenerator.nextGaussian()} so that output stays identical across JDK versions, whose
 * default algorithm may change.
 */
public final class Gaussian {
    private Gaussian() {}

    public static double next(SplittableRandom rng) {
        double u1 = 1 - rng.nextDouble(); // (0, 1]: log is finite
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
