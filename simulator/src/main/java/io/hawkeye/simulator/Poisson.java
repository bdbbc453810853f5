package io.hawkeye.simulator;

import io.hawkeye.topology.Gaussian;
import java.util.SplittableRandom;

/** Poisson-distributed counts from a {@link SplittableRandom}. */
final class Poisson {
    private Poisson() {}

    /**
     * Exact (Knuth's product of uniforms) for mean &lt; 30, where it costs ~mean draws; above, the normal
     * approximation N(mean, mean) rounded, whose error is negligible for request counts and costs O(1).
     */
    static long sample(double mean, SplittableRandom rng) {
        if (mean <= 0) {
            return 0;
        }
        if (mean < 30) {
            double limit = Math.exp(-mean);
            double p = 1;
            long k = -1;
            do {
                k++;
                p *= rng.nextDouble();
            } while (p > limit);
            return k;
        }
        return Math.max(0, Math.round(mean + Math.sqrt(mean) * Gaussian.next(rng)));
    }
}
