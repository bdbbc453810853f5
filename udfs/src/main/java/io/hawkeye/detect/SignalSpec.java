package io.hawkeye.detect;

import io.hawkeye.telemetry.Signals;

/**
 * How one kind of signal is modelled: the variance-stabilising transform, the minimum spread (in transformed
 * units) below which the baseline never claims more precision, and the direction that is worth an alert.
 *
 * <p>Latencies and request rates are positive and multiplicative (a 2x slowdown matters equally at 5 ms and at
 * 500 ms), so they are modelled as {@code log(x + offset)}. Error rates and arbitrary metrics are modelled as is.
 */
public final class SignalSpec implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public enum Transform { IDENTITY, LOG }

    public enum Direction {
        UP, DOWN, BOTH;

        public boolean accepts(int direction) {
            return this == BOTH || (this == UP && direction > 0) || (this == DOWN && direction < 0);
        }
    }

    public final Transform transform;
    public final double offset;
    /** Absolute floor on the spread (mean absolute deviation) in transformed units. */
    public final double minSpread;
    /** Relative floor on the spread: {@code relSpread * |expected|} in transformed units. */
    public final double relSpread;
    public final Direction alertOn;
    /**
     * A ratio of trials (an error rate): when the number of trials behind a value is known, the score accounts for
     * its sampling noise ({@link SeasonalDetector#update(SeasonalState, long, double, long)}).
     */
    public final boolean binomial;
    /**
     * Whether the series' data-aware noise floors ({@link NoiseModel}: resolution, Poisson, moves) apply. True for
     * every signal the detector alerts on; false for the multivariate detectors' per-feature baselines, whose
     * z-features have their own scale floors and calibration ({@link #withoutDataFloors()}). The series' tail model
     * ({@link TailModel}, the score) goes with it: those baselines give the multivariate detectors only their z.
     */
    public final boolean dataFloors;

    public SignalSpec(Transform transform, double offset, double minSpread, double relSpread, Direction alertOn) {
        this(transform, offset, minSpread, relSpread, alertOn, false);
    }

    public SignalSpec(Transform transform, double offset, double minSpread, double relSpread, Direction alertOn,
            boolean binomial) {
        this(transform, offset, minSpread, relSpread, alertOn, binomial, true);
    }

    private SignalSpec(Transform transform, double offset, double minSpread, double relSpread, Direction alertOn,
            boolean binomial, boolean dataFloors) {
        this.transform = transform;
        this.offset = offset;
        this.minSpread = minSpread;
        this.relSpread = relSpread;
        this.alertOn = alertOn;
        this.binomial = binomial;
        this.dataFloors = dataFloors;
    }

    /**
     * This spec without the data-aware noise floors and the tail model (the multivariate detectors' feature
     * baselines, which use only the z).
     */
    public SignalSpec withoutDataFloors() {
        return new SignalSpec(transform, offset, minSpread, relSpread, alertOn, binomial, false);
    }

    /** Latencies in ms: log(ms + 1); spread at least 3 % (a band of ±17 % at the firing threshold); alert on up. */
    public static SignalSpec latency() {
        return new SignalSpec(Transform.LOG, 1.0, 0.03, 0, Direction.UP);
    }

    /** Requests per second: log(rps + 0.1); alert on drops (a surge shows up in latency and errors). */
    public static SignalSpec rate() {
        return new SignalSpec(Transform.LOG, 0.1, 0.03, 0, Direction.DOWN);
    }

    /**
     * Error ratio in [0, 1]: as is, spread at least 0.5 percentage points; alert on up; binomial (the score allows
     * for the sampling noise of few requests when their number is known).
     */
    public static SignalSpec errorRate() {
        return new SignalSpec(Transform.IDENTITY, 0, 0.005, 0, Direction.UP, true);
    }

    /** Any metric or an unknown series (backtest): as is, both directions, spread at least 0.1 % of the level. */
    public static SignalSpec generic() {
        return new SignalSpec(Transform.IDENTITY, 0, 1e-9, 1e-3, Direction.BOTH);
    }

    /**
     * A metric sample series (window mean of a metric) with its unit. A metric's noise can be far below any change
     * that matters: a queue that is almost always empty has a mean depth of 0.0002 ± 0.0001 requests, and the
     * sample's rounding makes it constant for long stretches, so its learnt spread is ~0 and a change of 0.0001
     * — one rounding step, nothing in operational terms — scores as a 100-sigma anomaly. The unit says what
     * a meaningful change is, so the spread is floored in absolute terms by unit (the same idea as the 0.5 pp
     * floor of {@link #errorRate()}): {@code count} (a queue length, connections, replicas) 0.05, so that a
     * sustained change of ≥ 0.3 (a third of one item) can fire; {@code ratio}/{@code 1} (utilisation in [0, 1])
     * 0.002 (≥ 1.1 pp); {@code percent}/{@code %} 0.2 (≥ 1.1 pp). Other units (bytes, seconds, none) have no
     * natural granularity and keep {@link #generic()}.
     */
    public static SignalSpec forMetric(String name, String unit) {
        SignalSpec byName = forSignal(name);
        if (byName.transform != Transform.IDENTITY || byName.minSpread > 1e-9 || unit == null) return byName;
        return switch (unit.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "count", "{count}", "items", "requests" -> new SignalSpec(Transform.IDENTITY, 0, 0.05, 1e-3,
                    Direction.BOTH);
            case "ratio", "1", "fraction" -> new SignalSpec(Transform.IDENTITY, 0, 0.002, 1e-3, Direction.BOTH);
            case "percent", "%" -> new SignalSpec(Transform.IDENTITY, 0, 0.2, 1e-3, Direction.BOTH);
            default -> byName;
        };
    }

    public static SignalSpec forSignal(String signal) {
        return switch (signal) {
            case Signals.P50_MS, "p90_ms", "p95_ms", Signals.P99_MS, "mean_ms", Signals.GAP_P50_MS,
                    Signals.GAP_P99_MS -> latency();
            case Signals.RPS -> rate();
            case Signals.ERROR_RATE -> errorRate();
            default -> generic();
        };
    }

    double forward(double x) {
        if (transform == Transform.LOG) return Math.log(Math.max(x, 0) + offset);
        return x;
    }

    double inverse(double y) {
        if (transform == Transform.LOG) return Math.max(0, Math.exp(y) - offset);
        return y;
    }
}
