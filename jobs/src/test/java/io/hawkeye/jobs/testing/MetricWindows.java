package io.hawkeye.jobs.testing;

import io.hawkeye.stats.MetricStats;
import io.hawkeye.telemetry.SeriesKeys;

/** Metric-statistics windows for the tests of the jobs that read them (detection, scaling). */
public final class MetricWindows {
    private MetricWindows() {}

    /**
     * The window {@code [windowStart, windowEnd)} of metric {@code name} of {@code service} whose {@code count}
     * samples all had {@code value}: min, mean, max, last and p95 are that value; relative accuracy 1 %, no unit,
     * revision 0.
     */
    public static MetricStats steady(String service, String name, long windowStart, long windowEnd, long count,
            double value) {
        MetricStats m = new MetricStats();
        m.service = service;
        m.name = name;
        m.seriesId = SeriesKeys.join(service, name);
        m.windowStart = windowStart;
        m.windowEnd = windowEnd;
        m.count = count;
        m.min = value;
        m.mean = value;
        m.max = value;
        m.last = value;
        m.p95 = value;
        m.relativeAccuracy = 0.01;
        return m;
    }
}
