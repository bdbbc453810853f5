package io.hawkeye.jobs.percentiles;

import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.StatsSnapshot;
import io.hawkeye.stats.WindowStats;
import java.io.Serializable;

/** Turns the merged statistics of a window into the record that leaves the job. */
@FunctionalInterface
public interface ResultFactory<OUT> extends Serializable {
    OUT create(String service, String name, String unit, long windowStart, long windowEnd, StatsSnapshot stats,
            int revision);

    /** Span statistics per (service, endpoint). */
    ResultFactory<WindowStats> ENDPOINT_STATS = (service, name, unit, start, end, stats, revision) ->
            WindowStats.of(WindowStats.SCOPE_ENDPOINT, service, name, start, end, stats, revision);

    /** Span statistics per service, merged over its endpoints. */
    ResultFactory<WindowStats> SERVICE_STATS = (service, name, unit, start, end, stats, revision) ->
            WindowStats.of(WindowStats.SCOPE_SERVICE, service, WindowStats.ALL_ENDPOINTS, start, end, stats,
                    revision);

    /** Metric-sample statistics per (service, metric name). */
    ResultFactory<MetricStats> METRIC_STATS = (service, name, unit, start, end, stats, revision) ->
            MetricStats.of(service, name, unit, start, end, stats, revision);
}
