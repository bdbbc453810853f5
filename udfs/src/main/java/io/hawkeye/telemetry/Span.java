package io.hawkeye.telemetry;

import io.hawkeye.json.ValueRecord;

/**
 * One request span, validated. A Flink POJO: public no-arg constructor and public fields.
 *
 * <p>{@code error} is derived from {@code status}: {@code "error"} or an HTTP 5xx code. HTTP 4xx are the
 * caller's fault and do not count against the service's error rate; {@code statusCode} keeps the code.
 * The source position ({@code sourceTopic/sourcePartition/sourceOffset}) travels with the span so that a late
 * span can still be dead-lettered with where it came from.
 */
public class Span extends ValueRecord {
    public long ts;
    public String service;
    public String endpoint;
    public double durationMs;
    public boolean error;
    /** HTTP status code, or 0 when the status was given as ok/error. */
    public int statusCode;
    public String caller;
    public String instance;
    public String traceId;
    public String spanId;
    public String parentId;

    public String sourceTopic;
    public int sourcePartition = -1;
    public long sourceOffset = -1;

    public Span() {}

    public Span(long ts, String service, String endpoint, double durationMs, boolean error) {
        this.ts = ts;
        this.service = service;
        this.endpoint = endpoint;
        this.durationMs = durationMs;
        this.error = error;
    }

    @Override
    public String toString() {
        return "Span{" + service + " " + endpoint + " ts=" + ts + " " + durationMs + "ms" + (error ? " error" : "")
                + "}";
    }
}
