package io.hawkeye.telemetry;

import java.util.List;

/**
 * One request span, validated. A Flink POJO: public no-arg constructor and public fields.
 *
 * <p>{@code error} is derived from {@code status}: {@code "error"} or an HTTP 5xx code. HTTP 4xx are the
 * caller's fault and do not count against the service's error rate; {@code statusCode} keeps the code.
 * {@code ts}, {@code service}, {@code instance} and the source position are a {@link TelemetryRecord}'s.
 *
 * <p>{@code kind} follows OpenTelemetry's span kinds. A {@code server} (the default when absent), {@code consumer}
 * or {@code internal} span is a request handled by {@code service}. A {@code client} or {@code producer} span is
 * the caller's own view of one call it makes ({@link #isCall()}): it is not a request of {@code service}, and its
 * child span in the callee ({@code parent_id} = its {@code span_id}) gives the call's client- and server-side
 * latency; {@code callee} names the called service when the callee emits no span of its own.
 */
public class Span extends TelemetryRecord {
    public String endpoint;
    public double durationMs;
    public boolean error;
    /** HTTP status code, or 0 when the status was given as ok/error. */
    public int statusCode;
    public String caller;
    public String traceId;
    public String spanId;
    public String parentId;
    /** Span kind, lower case; null = server. */
    public String kind;
    /** Of a client/producer span: the called service (OpenTelemetry's peer.service), when known. */
    public String callee;

    /** The accepted span kinds. */
    public static final List<String> KINDS = List.of("server", "client", "producer", "consumer", "internal");

    public Span() {}

    public Span(long ts, String service, String endpoint, double durationMs, boolean error) {
        super(ts, service, null);
        this.endpoint = endpoint;
        this.durationMs = durationMs;
        this.error = error;
    }

    /** A client or producer span: the caller's view of a call, not a request of this service. */
    public boolean isCall() {
        return "client".equals(kind) || "producer".equals(kind);
    }

    @Override
    public String toString() {
        return "Span{" + service + " " + endpoint + " ts=" + ts + " " + durationMs + "ms" + (error ? " error" : "")
                + "}";
    }
}
