package io.hawkeye.detect;

/**
 * Data-aware noise floors of one series, learnt online from the series itself (no configuration): its
 * <b>resolution</b> (quantum), its <b>kind</b> and the <b>typical size of its moves</b>. Pure functions over the
 * fields of {@link SeasonalState} (bounded: eight scalars per series).
 *
 * <h2>What is learnt</h2>
 * <ul>
 *   <li><b>quantum</b> q: the smallest non-zero difference between consecutive distinct raw values (differences
 *       below 10⁻⁹ of the values' magnitude are floating-point noise, not a move). A series reported on a grid
 *       (CPU in steps of 0.066, counts, min-max normalised integers, values rounded to a few decimals) has q =
 *       the grid step, since it moves by one step sooner or later; a continuous series has q → 0 and the floor
 *       vanishes. A stray off-grid value can only lower q (the floor errs towards today's behaviour).
 *   <li><b>kind</b> from the range and integrality of the values seen: {@link Kind#COUNT} (non-negative
 *       integers), {@link Kind#RATIO} (within [0, 1]), {@link Kind#PERCENT} (within [0, 100], above 1),
 *       {@link Kind#POSITIVE} (all > 0), {@link Kind#SIGNED} (negative values seen).
 *   <li><b>move scale</b> g: the geometric mean of the non-zero one-step moves |Δy| in transformed units (a
 *       running mean of log|Δy| over the last ~{@value #MOVE_MEMORY} moves). Zero moves are excluded: on a
 *       series that is constant most of the time, the mean absolute residual is ~0 while the moves it does make
 *       have a size, and that size is what "normal" means for it.
 * </ul>
 *
 * <h2>Floors on the score's σ (all in transformed units; the largest applies)</h2>
 * <ul>
 *   <li><b>resolution</b>: σ ≥ q/2. A reading on a grid of q stands for any true value within ±q/2, so two
 *       readings one step apart are consistent with no change at all: a one-quantum step is |z| ≤ 2 (score ≤ 0.19
 *       at the default zHalf 3), two quanta |z| ≤ 4 (0.84, below the fire score 0.9), three can fire.
 *   <li><b>sampling</b> (counts): σ ≥ √x̂ at the expected count x̂ (Poisson). Ratios with a known denominator get
 *       the binomial term of {@link SeasonalDetector#binomialVariance} (error rates); without one there is no
 *       sampling model and only the other floors apply.
 *   <li><b>moves</b>: σ ≥ g / (2·{@value #GEOMEAN_ABS_DIFF_PER_SIGMA}). For i.i.d. normal noise of σ₀ the
 *       geometric mean of |Δ| is √2·e^(−(γ+ln 2)/2)·σ₀ = 0.749·σ₀, so this floor is σ₀/2: it never binds on a
 *       series whose learnt spread is right (the spread is ≈ σ₀ there), and binds where the spread collapsed
 *       below half of what the series' own moves show — mostly-constant, sparse or step-wise series.
 * </ul>
 * A log-transformed signal gets the resolution and Poisson floors through the derivative of the log at the
 * expected value (σ_y = σ_x / (x̂ + offset)). The signal's own floors ({@link SignalSpec#minSpread},
 * relSpread) still apply, so σ is never zero.
 */
final class NoiseModel {
    /** Geometric mean of |N(0, 2)| per unit σ: √2·exp(−(γ + ln 2)/2). */
    static final double GEOMEAN_ABS_DIFF_PER_SIGMA = 0.7493;
    /** Moves the running mean of log|Δy| averages over (about a day of 1-minute data). */
    static final int MOVE_MEMORY = 1000;
    /** Differences below this fraction of the values' magnitude are floating-point noise. */
    static final double REL_EPS = 1e-9;

    enum Kind { COUNT, RATIO, PERCENT, POSITIVE, SIGNED }

    private NoiseModel() {}

    /** Learns from a new raw value x (transformed y) after it was scored. */
    static void observe(SeasonalState st, double x, double y) {
        if (st.nNoise == 0) {
            st.minValue = x;
            st.maxValue = x;
        } else {
            st.minValue = Math.min(st.minValue, x);
            st.maxValue = Math.max(st.maxValue, x);
            double dx = Math.abs(x - st.lastValue);
            if (dx > REL_EPS * Math.max(Math.abs(x), Math.abs(st.lastValue))) {
                if (st.quantum == 0 || dx < st.quantum) st.quantum = dx;
                double dy = Math.abs(y - st.lastY);
                if (dy > 0 && Double.isFinite(Math.log(dy))) {
                    st.moves++;
                    st.moveLogMean += (Math.log(dy) - st.moveLogMean) / Math.min(st.moves, MOVE_MEMORY);
                }
            }
        }
        if (x != Math.rint(x)) st.nonInteger = true;
        st.lastValue = x;
        st.lastY = y;
        st.nNoise++;
    }

    static Kind kind(SeasonalState st) {
        if (st.nNoise == 0) return Kind.SIGNED;
        if (st.minValue < 0) return Kind.SIGNED;
        if (!st.nonInteger) return Kind.COUNT;
        if (st.maxValue <= 1) return Kind.RATIO;
        if (st.maxValue <= 100) return Kind.PERCENT;
        return st.minValue > 0 ? Kind.POSITIVE : Kind.SIGNED;
    }

    /**
     * Whether an integer series moves as often as counts of independent events would: two Poisson(λ) draws
     * differ with probability 1 − e^(−2λ)·I₀(2λ). An integer gauge (replicas, connections, a queue held at 4)
     * is constant for long stretches, far less often moving than that, and losing one replica is a real change:
     * it gets no Poisson floor. Counts of events qualify when they move at least half as often as Poisson.
     */
    static boolean movesLikePoisson(SeasonalState st, double lambda) {
        if (st.nNoise < 2) return false;
        double observed = (double) st.moves / (st.nNoise - 1);
        return observed >= 0.5 * (1 - sameProbability(lambda));
    }

    /** P(X = Y) for independent X, Y ~ Poisson(λ): e^(−2λ)·I₀(2λ). */
    static double sameProbability(double lambda) {
        double x = 2 * lambda;
        if (x > 30) return 1 / Math.sqrt(2 * Math.PI * x) * (1 + 1 / (8 * x));
        // e^(−x)·Σ (x/2)^(2k) / (k!)²
        double term = Math.exp(-x);
        double sum = term;
        double h = x * x / 4;
        for (int k = 1; k < 200; k++) {
            term *= h / ((double) k * k);
            sum += term;
            if (term < 1e-15 * sum) break;
        }
        return sum;
    }

    /** The smallest σ (transformed units) the series' resolution, sampling noise and moves allow at {@code expectedY}. */
    static double sigmaFloor(SeasonalState st, SignalSpec spec, double expectedY) {
        double f = 0;
        // Derivative of the transform at the expected value: σ_y = σ_x · dy/dx.
        double xHat = spec.inverse(expectedY);
        double slope = spec.transform == SignalSpec.Transform.LOG ? 1.0 / (Math.max(xHat, 0) + spec.offset) : 1.0;
        if (st.quantum > 0) f = Math.max(f, 0.5 * st.quantum * slope);
        if (kind(st) == Kind.COUNT && xHat > 0 && movesLikePoisson(st, xHat)) f = Math.max(f, Math.sqrt(xHat) * slope);
        if (st.moves > 0) f = Math.max(f, Math.exp(st.moveLogMean) / (2 * GEOMEAN_ABS_DIFF_PER_SIGMA));
        return f;
    }
}
