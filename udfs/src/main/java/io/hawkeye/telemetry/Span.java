package io.hawkeye.telemetry;

import java.util.Objects;

/**
 * One request span, validated. A Flink POJO: public no-arg constructor and public fields.
 *
 * <p>{@code error} is derived from {@code status}: {@code "error"} or an HTTP 5xx code. HTTP 4xx are the
 * caller's fault and do not count against the service's error rate; {@code statusCode} keeps the code.
 * The source position ({@code sourceTopic/sourcePartition/sourceOffset}) travels with the span so that a late
 * span can still be dead-lettered with where it came from.
 */
public class Span {
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
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Span s)) return false;
        return ts == s.ts && Double.compare(durationMs, s.durationMs) == 0 && error == s.error
                && statusCode == s.statusCode && sourcePartition == s.sourcePartition
                && sourceOffset == s.sourceOffset && Objects.equals(service, s.service)
                && Objects.equals(endpoint, s.endpoint) && Objects.equals(caller, s.caller)
                && Objects.equals(instance, s.instance) && Objects.equals(traceId, s.traceId)
                && Objects.equals(spanId, s.spanId) && Objects.equals(parentId, s.parentId)
                && Objects.equals(sourceTopic, s.sourceTopic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ts, service, endpoint, durationMs, error, statusCode, caller, instance, traceId,
                spanId, parentId, sourceTopic, sourcePartition, sourceOffset);
    }

    @Override
    public String toString() {
        return "Span{" + service + " " + endpoint + " ts=" + ts + " " + durationMs + "ms" + (error ? " error" : "")
                + "}";
    }
}
