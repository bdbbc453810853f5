package io.hawkeye.rca;

import java.util.Locale;

/**
 * What a signal measures, guessed from its name, and which way it propagates through the call graph.
 *
 * <ul>
 *   <li>{@link #LATENCY} and {@link #ERRORS} only count when they go <em>up</em> (lower latency or fewer errors is
 *       not a fault) and propagate <em>upstream</em>: a caller's latency includes its callees'.
 *   <li>{@link #TRAFFIC} (request rates, throughput) counts in both directions and propagates
 *       <em>downstream</em>: a slow or failing caller sends less (or more, with retries) to its callees; so a
 *       callee's traffic change never explains away its caller's anomaly.
 *   <li>{@link #OTHER} (CPU, memory, disk, network, anything unknown) counts in both directions and is treated
 *       as a local symptom that may propagate upstream.
 * </ul>
 */
public enum SignalKind {
    LATENCY(false, true),
    ERRORS(false, true),
    TRAFFIC(true, false),
    OTHER(true, true);

    /** Whether a decrease is anomalous too. */
    public final boolean twoSided;
    /** Whether an anomaly of this kind in a callee can explain (propagate to) its callers. */
    public final boolean propagatesUpstream;

    SignalKind(boolean twoSided, boolean propagatesUpstream) {
        this.twoSided = twoSided;
        this.propagatesUpstream = propagatesUpstream;
    }

    /**
     * Whether the signal is a service's view of the calls it makes ({@code client_latency_p99}: its callees' time
     * as it sees them) rather than of the requests it serves. Such a signal explains the service's own latency; it
     * is never evidence against the service itself.
     */
    public static boolean clientSide(String signal) {
        String s = signal.toLowerCase(Locale.ROOT);
        if (s.startsWith("log_")) s = s.substring(4);
        return s.startsWith("client_") || s.startsWith("outbound_") || s.startsWith("downstream_");
    }

    public static SignalKind of(String signal) {
        String s = signal.toLowerCase(Locale.ROOT);
        if (s.startsWith("log_")) s = s.substring(4);   // a transformed feature (log_rps, log_p99_ms)
        if (s.contains("latency") || s.contains("duration") || s.contains("response_time")
                || s.contains("delay") || s.matches(".*(^|_)p\\d+.*") || s.contains("_ms") || s.endsWith("time")) {
            return LATENCY;
        }
        if (s.contains("error") || s.contains("fail") || s.contains("timeout") || s.contains("5xx")
                || s.contains("fault")) {
            return ERRORS;
        }
        if (s.equals("rps") || s.equals("qps") || s.contains("request") || s.contains("throughput")
                || s.contains("call_rate") || s.endsWith("_rate") && !s.contains("error") || s.equals("count")
                || s.endsWith("calls") || s.contains("call_count")) {
            return TRAFFIC;
        }
        return OTHER;
    }
}
