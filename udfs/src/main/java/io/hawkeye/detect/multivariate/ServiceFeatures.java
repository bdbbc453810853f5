package io.hawkeye.detect.multivariate;

import io.hawkeye.telemetry.Signals;

/**
 * The feature vector of one service in one window, in a fixed order ({@link #NAMES}). Latencies and the request
 * rate are log-transformed ({@code log1p}) so that multiplicative changes are additive and heavy right tails are
 * tamed; the error rate (a fraction) and CPU utilisation (a fraction or percentage, whatever the metric reports)
 * are used as they are. A feature that the window does not have is {@code NaN}: the detector imputes the training
 * median for it (see {@link MultivariateDetector}).
 */
public final class ServiceFeatures {
    public static final String LOG_P50 = "log_p50_ms";
    public static final String LOG_P99 = "log_p99_ms";
    public static final String ERROR_RATE = Signals.ERROR_RATE;
    public static final String LOG_RPS = "log_rps";
    public static final String CPU = Signals.CPU_UTILIZATION;
    /** Feature names, in vector order. */
    public static final String[] NAMES = {LOG_P50, LOG_P99, ERROR_RATE, LOG_RPS, CPU};
    public static final int DIM = NAMES.length;

    private ServiceFeatures() {}

    /** The feature vector; pass {@code NaN} for anything the window lacks (e.g. no CPU metric, too few requests). */
    public static double[] vector(double p50Ms, double p99Ms, double errorRate, double rps, double cpu) {
        return new double[] {log1p(p50Ms), log1p(p99Ms), finite(errorRate), log1p(rps), finite(cpu)};
    }

    private static double log1p(double v) {
        return Double.isFinite(v) && v >= 0 ? Math.log1p(v) : Double.NaN;
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : Double.NaN;
    }
}
