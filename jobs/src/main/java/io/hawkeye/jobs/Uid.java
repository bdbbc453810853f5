package io.hawkeye.jobs;

/**
 * The stable uid of every stateful operator, source and sink of the Hawkeye jobs, declared once. A uid is part of
 * the savepoint contract: a savepoint restores an operator's state by it, so an id never changes (a new one means
 * the old state is dropped, as the {@code -v2} of the incident operators says). {@code HawkeyeJobTest} checks that
 * the ids are unique and that every operator of the job graph has one of these or a sink uid of {@link Outputs}.
 */
public enum Uid {
    // Sources of the analytics job (io.hawkeye.jobs.Sources).
    TELEMETRY_SOURCE("telemetry-source"),
    RULES_SOURCE("rules-source"),

    // Window statistics (io.hawkeye.jobs.percentiles.WindowStatsWorkflow).
    TELEMETRY_ROUTER("telemetry-router"),
    SPAN_PREAGGREGATE("span-preaggregate"),
    METRIC_PREAGGREGATE("metric-preaggregate"),
    ENDPOINT_WINDOWS("endpoint-window-stats"),
    SERVICE_WINDOWS("service-window-stats"),
    METRIC_WINDOWS("metric-window-stats"),
    DEAD_LETTER_COUNTER("dead-letter-counter"),

    // Call edges (io.hawkeye.jobs.percentiles.CallEdges).
    CALL_EDGE_CLIENT_SPANS("call-edge-client-spans"),
    CALL_EDGE_SERVER_SPANS("call-edge-server-spans"),
    CALL_EDGE_PAIRS("call-edge-pairs"),
    CALL_EDGE_WINDOWS("call-edge-windows"),
    CALL_EDGE_LATE("call-edge-late"),

    // Detection (io.hawkeye.jobs.detect.DetectionWorkflow).
    DETECT_WINDOW_SIGNALS("detect-window-signals"),
    DETECT_METRIC_SIGNALS("detect-metric-signals"),
    DETECT_EDGE_SIGNALS("detect-edge-signals"),
    DETECT_SEASONAL("detect-seasonal"),
    DETECT_RULES("detect-rules"),
    /** The empty stand-in for the rules topic when the job runs without runtime rule updates. */
    DETECT_NO_RULE_UPDATES("detect-no-rule-updates"),
    /** The rule updates with their watermarks dropped and announced idle. */
    DETECT_RULE_UPDATES_WITHOUT_EVENT_TIME("detect-rule-updates-without-event-time"),
    DETECT_MULTIVARIATE_WINDOWS("detect-multivariate-windows"),
    DETECT_MULTIVARIATE_METRICS("detect-multivariate-metrics"),
    DETECT_MULTIVARIATE("detect-multivariate"),

    // Alert correlation (io.hawkeye.jobs.correlate.CorrelationWorkflow).
    CORRELATE_EDGE_FILTER("correlate-edge-filter"),
    CORRELATE_EDGE_WINDOWS("correlate-edge-windows"),
    CORRELATE_GRAPH("correlate-graph"),
    /** v2: the state classes moved to io.hawkeye.correlate; an older savepoint restores with allowNonRestoredState. */
    CORRELATE_INCIDENTS("correlate-incidents-v2"),
    /** The incident operator when partitioned by {@code correlate.partition-label} (other key, other state). */
    CORRELATE_INCIDENTS_PARTITIONED("correlate-incidents-partitioned-v2"),

    // Scaling (io.hawkeye.jobs.scale.ScalingWorkflow).
    SCALING_WINDOW_STATS_FILTER("scaling-window-stats-filter"),
    SCALING_METRIC_STATS_FILTER("scaling-metric-stats-filter"),
    SCALING_JOIN("scaling-load-joiner"),
    SCALING_PLANNER("scaling-planner"),

    // The indexer job (io.hawkeye.jobs.index.IndexerJob).
    INDEXER_SOURCE("indexer-kafka-source"),
    INDEXER_SINK("indexer-elasticsearch-sink"),

    // The Alertmanager bridge (io.hawkeye.jobs.alertmanager.AlertmanagerJob).
    ALERTMANAGER_SOURCE("alertmanager-kafka-source"),
    ALERTMANAGER_RESENDER("alertmanager-resender"),
    ALERTMANAGER_SINK("alertmanager-sink");

    private final String id;

    Uid(String id) {
        this.id = id;
    }

    /** The uid string given to Flink ({@code .uid(...)}). */
    public String id() {
        return id;
    }
}
