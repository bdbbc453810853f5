package io.hawkeye.jobs.detect;

import io.hawkeye.json.ValueRecord;

/**
 * One window of one service being assembled by {@link MultivariateDetectionFunction}: the service-scope window
 * statistics and the mean of the service's {@code cpu_utilization} metric statistics of the same window (NaN
 * until they arrive). A Flink POJO.
 */
public class ServiceWindow extends ValueRecord {
    public long windowStart;
    public long windowEnd;
    public boolean hasRequests;
    public long count;
    public double p50Ms = Double.NaN;
    public double p99Ms = Double.NaN;
    public double errorRate = Double.NaN;
    public double rps = Double.NaN;
    /** Sum and number of the cpu_utilization means of this window (one per instance series, if any). */
    public double cpuSum;
    public int cpuCount;

    public ServiceWindow() {}

    public double cpu() {
        return cpuCount == 0 ? Double.NaN : cpuSum / cpuCount;
    }
}
