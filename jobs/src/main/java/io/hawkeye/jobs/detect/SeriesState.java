package io.hawkeye.jobs.detect;

import io.hawkeye.alerts.LifecycleState;
import io.hawkeye.detect.SeasonalState;
import java.util.Objects;

/**
 * Keyed state of {@link SeasonalDetectionFunction} for one (scope, service, endpoint, signal): the seasonal
 * model, the alert lifecycle, and the bookkeeping of the two timers (absence and idle cleanup). A Flink POJO;
 * size ≈ the seasonal state (≤ 4.7 KB) + ~150 bytes.
 */
public class SeriesState {
    public String scope;
    public String service;
    public String endpoint;
    public String signal;
    /** The metric's unit (null for request signals); selects the signal's minimum meaningful change. */
    public String unit;
    public SeasonalState seasonal = new SeasonalState();
    public LifecycleState lifecycle = new LifecycleState();
    /** Window length of the series (end − start), ms. */
    public long windowSizeMs;
    /** End of the last window that carried data. */
    public long lastSeenEnd;
    /** Pending absence timer (0 = none): the end of the next expected window. */
    public long absenceTimer;
    /** Pending idle-cleanup timer (0 = none); moved lazily when it fires early. */
    public long cleanupTimer;

    public SeriesState() {}

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesState s && windowSizeMs == s.windowSizeMs && lastSeenEnd == s.lastSeenEnd
                && absenceTimer == s.absenceTimer && cleanupTimer == s.cleanupTimer
                && Objects.equals(scope, s.scope) && Objects.equals(service, s.service)
                && Objects.equals(endpoint, s.endpoint) && Objects.equals(signal, s.signal) && Objects.equals(unit, s.unit)
                && Objects.equals(seasonal, s.seasonal) && Objects.equals(lifecycle, s.lifecycle);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scope, service, endpoint, signal, lastSeenEnd);
    }
}
