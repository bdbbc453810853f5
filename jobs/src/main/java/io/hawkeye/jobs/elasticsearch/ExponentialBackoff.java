package io.hawkeye.jobs.elasticsearch;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential back-off with "equal jitter": attempt {@code n} (1-based) waits a random time in
 * {@code [c/2, c]} with {@code c = min(max, base * 2^(n-1))}. The floor keeps a retry storm from
 * collapsing to zero delay; the jitter spreads the retries of parallel subtasks so that they do
 * not hit a recovering cluster in lock-step.
 */
public final class ExponentialBackoff implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_BASE = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(10);

    private final long baseMillis;
    private final long maxMillis;

    public ExponentialBackoff(Duration base, Duration max) {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("Need 0 < base <= max, got " + base + ", " + max);
        }
        this.baseMillis = base.toMillis();
        this.maxMillis = max.toMillis();
    }

    public static ExponentialBackoff defaults() {
        return new ExponentialBackoff(DEFAULT_BASE, DEFAULT_MAX);
    }

    /** The upper bound of the delay before retry number {@code attempt} (1-based). */
    public long ceilingMillis(int attempt) {
        int exponent = Math.max(0, Math.min(attempt - 1, 30)); // no overflow; the cap dominates
        return Math.min(maxMillis, baseMillis << exponent);
    }

    public long delayMillis(int attempt) {
        return delayMillis(attempt, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** {@code random} yields values in [0, 1); injectable for tests. */
    long delayMillis(int attempt, DoubleSupplier random) {
        long ceiling = ceilingMillis(attempt);
        long half = ceiling / 2;
        return half + (long) (random.getAsDouble() * (ceiling - half + 1));
    }

    public Duration getBase() {
        return Duration.ofMillis(baseMillis);
    }

    public Duration getMax() {
        return Duration.ofMillis(maxMillis);
    }

    @Override
    public String toString() {
        return "ExponentialBackoff{base=" + baseMillis + "ms, max=" + maxMillis + "ms}";
    }
}
