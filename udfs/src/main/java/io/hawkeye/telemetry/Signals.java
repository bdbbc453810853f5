package io.hawkeye.telemetry;

/**
 * Names of the signals the detectors, the scaler and the simulator agree on, declared once: the request signals
 * of the window statistics and the metric names the simulator emits and the scaler and the multivariate
 * detector read. Other metrics are open-ended names.
 */
public final class Signals {
    /** Request signals of a window's statistics. */
    public static final String P50_MS = "p50_ms";
    public static final String P99_MS = "p99_ms";
    public static final String ERROR_RATE = "error_rate";
    public static final String RPS = "rps";
    /** Call-edge signals: time outside the callee per call (client − server latency), median and p99. */
    public static final String GAP_P50_MS = "gap_p50_ms";
    public static final String GAP_P99_MS = "gap_p99_ms";

    /** CPU utilisation of one instance (unit {@code ratio}). */
    public static final String CPU_UTILIZATION = "cpu_utilization";
    /** Live replicas of a service (unit {@code count}). */
    public static final String REPLICAS = "replicas";
    /** Requests waiting at a service (unit {@code count}). */
    public static final String QUEUE_DEPTH = "queue_depth";

    private Signals() {}
}
