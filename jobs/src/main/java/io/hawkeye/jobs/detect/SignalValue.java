package io.hawkeye.jobs.detect;

import io.hawkeye.json.ValueRecord;

/**
 * One value of one signal of one series in one window: what {@link SignalObservation} (the value the seasonal
 * detector scores) and {@link AnomalyScore} (its verdict on it) both name. Fields only, so that both stay Flink
 * POJOs.
 */
public abstract class SignalValue extends ValueRecord {
    /** "endpoint", "service" (endpoint {@code _all}), "metric" (endpoint {@code _all}) or "edge". */
    public String scope;
    public String service;
    public String endpoint;
    public String signal;
    public long windowStart;
    public long windowEnd;
    public double value;

    /** Sets the series, the window and the value. */
    void set(String scope, String service, String endpoint, String signal, long windowStart, long windowEnd,
            double value) {
        this.scope = scope;
        this.service = service;
        this.endpoint = endpoint;
        this.signal = signal;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.value = value;
    }
}
