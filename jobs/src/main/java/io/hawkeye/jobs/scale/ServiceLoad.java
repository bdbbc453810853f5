package io.hawkeye.jobs.scale;

import io.hawkeye.json.ValueRecord;

/**
 * One window of one service as the scaler sees it: request rate and p99 from the service-scope window statistics,
 * replicas (last value) and mean CPU utilisation from the metric statistics of the same window. NaN where the
 * window had no such input; {@code rps} is 0 for a window with metrics but no requests. A Flink POJO.
 */
public class ServiceLoad extends ValueRecord {
    public String service;
    public long windowStart;
    public long windowEnd;
    public boolean hasRequests;
    public double rps;
    public double p99Ms = Double.NaN;
    public double replicas = Double.NaN;
    public double cpuUtilisation = Double.NaN;

    public ServiceLoad() {}

    /** The window {@code [windowStart, windowEnd)} of {@code service} before any input: no requests, NaN elsewhere. */
    public static ServiceLoad empty(String service, long windowStart, long windowEnd) {
        ServiceLoad l = new ServiceLoad();
        l.service = service;
        l.windowStart = windowStart;
        l.windowEnd = windowEnd;
        return l;
    }

    public static ServiceLoad of(String service, long windowStart, long windowEnd, double rps, double p99Ms,
            double replicas, double cpu) {
        ServiceLoad l = empty(service, windowStart, windowEnd);
        l.hasRequests = true;
        l.rps = rps;
        l.p99Ms = p99Ms;
        l.replicas = replicas;
        l.cpuUtilisation = cpu;
        return l;
    }
}
