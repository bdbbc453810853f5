package io.hawkeye.jobs.detect;

import io.hawkeye.alerts.LifecycleState;
import io.hawkeye.detect.SeasonalState;
import io.hawkeye.json.ValueRecord;

/**
 * Keyed state of {@link SeasonalDetectionFunction} for one (scope, service, endpoint, signal): the seasonal
 * model, the alert lifecycle, and the bookkeeping of the two timers (absence and idle cleanup). A Flink POJO;
 * size ≈ the seasonal state (≤ 4.7 KB) + ~150 bytes.
 */
public class SeriesState extends ValueRecord {
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
}
