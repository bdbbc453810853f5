package io.hawkeye.rca;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * How anomalous one service is, the input of {@link RootCauseRanker}. Built from time series by
 * {@link AnomalyScorer}, or directly from alert scores by the streaming correlation.
 *
 * @param service        the service
 * @param strength       anomaly strength ≥ 0 over all signals (0 = normal); any unit, the ranker normalises
 * @param upstream       strength over the signals that propagate to callers (latency, errors, resources): what a
 *                       caller of this service may inherit; ≤ {@code strength}
 * @param topSignal      the signal that contributed {@code strength} (null if none)
 * @param topZ           its robust z-score (signed; NaN if not from time series)
 * @param onsetMillis    estimated onset of the anomaly (epoch ms), or {@code Long.MIN_VALUE} if none detected
 * @param series         per-timestamp anomaly score (max directional z over signals) over both periods, for
 *                       correlation; empty when not available
 * @param hasData        false when the service had no observations at all
 * @param unexplained    strength of what the call graph does not explain (its callees' latency and errors, its
 *                       callers' load; docs/rca.md "Explain-away"); NaN when not computed (alert evidence: the
 *                       ranker then derives it from the graph)
 * @param evidence       the strongest evidence for humans, e.g. {@code latency_p99 +310 (z=+12.0, 40 % explained
 *                       by postgres)}; null when none
 * @param local          of alert evidence: strength that the call graph cannot explain by construction — time
 *                       spent outside the service on the calls into it, or outside its callees on every call it
 *                       makes (the median edge's gap alert, {@link AlertEvidence}); 0 when none
 */
public record ServiceAnomaly(
        String service,
        double strength,
        double upstream,
        String topSignal,
        double topZ,
        long onsetMillis,
        NavigableMap<Long, Double> series,
        boolean hasData,
        double unexplained,
        String evidence,
        double local) {

    public static final long NO_ONSET = Long.MIN_VALUE;

    public ServiceAnomaly {
        series = Collections.unmodifiableNavigableMap(new TreeMap<>(series));
    }

    public static ServiceAnomaly noData(String service) {
        return new ServiceAnomaly(service, 0, 0, null, Double.NaN, NO_ONSET, new TreeMap<>(), false, 0, null, 0);
    }

    /** From an externally computed strength (e.g. an alert score), without series. */
    public static ServiceAnomaly of(String service, double strength, double upstream, String topSignal,
            long onsetMillis) {
        return new ServiceAnomaly(service, Math.max(0, strength), Math.max(0, Math.min(strength, upstream)),
                topSignal, Double.NaN, onsetMillis, new TreeMap<>(), true, Double.NaN, null, 0);
    }

    public boolean hasOnset() {
        return onsetMillis != NO_ONSET;
    }
}
