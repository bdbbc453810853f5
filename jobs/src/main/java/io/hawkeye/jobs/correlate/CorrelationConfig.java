package io.hawkeye.jobs.correlate;

import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.simulator.Topology;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Settings of the alert correlation ({@link CorrelationWorkflow}); see the {@code correlate.*} options of
 * {@link HawkeyeOptions}. Durations in milliseconds of event time.
 *
 * @param windowMs         join window: an alert joins an incident when it starts within this of its latest alert
 * @param maxHops          maximum undirected graph distance to an incident's services
 * @param quietPeriodMs    an incident resolves this long after all its alerts resolved
 * @param edgeExpiryMs     learned edges are removed after this long without calls
 * @param graphIntervalMs  the window of edge statistics and the cadence of graph snapshots
 * @param suppressSymptoms set {@code caused_by} on symptom alerts
 * @param staticEdges      {@code caller|callee} edges that never expire (from the topology file)
 * @param maxRootCauses    length of an incident's {@code root_causes} list
 * @param stateTtlMs       safety net (processing time) for incidents whose alerts never resolve
 * @param partitionLabel   null: one global incident operator (parallelism 1); else the alert label whose value
 *                         partitions the incidents (e.g. cluster or tenant): alerts join only incidents of the
 *                         same value, and the incident operator runs at the job's parallelism
 */
public record CorrelationConfig(long windowMs, int maxHops, long quietPeriodMs, long edgeExpiryMs,
        long graphIntervalMs, boolean suppressSymptoms, List<String> staticEdges, int maxRootCauses, long stateTtlMs,
        String partitionLabel) implements Serializable {

    public CorrelationConfig {
        if (windowMs <= 0 || maxHops < 0 || quietPeriodMs < 0 || edgeExpiryMs <= 0 || graphIntervalMs <= 0
                || maxRootCauses <= 0 || stateTtlMs <= 0) {
            throw new IllegalArgumentException("invalid correlation settings");
        }
        staticEdges = List.copyOf(staticEdges);
        if (partitionLabel != null && partitionLabel.isBlank()) partitionLabel = null;
    }

    /** Without partitioning (one global incident operator). */
    public CorrelationConfig(long windowMs, int maxHops, long quietPeriodMs, long edgeExpiryMs, long graphIntervalMs,
            boolean suppressSymptoms, List<String> staticEdges, int maxRootCauses, long stateTtlMs) {
        this(windowMs, maxHops, quietPeriodMs, edgeExpiryMs, graphIntervalMs, suppressSymptoms, staticEdges,
                maxRootCauses, stateTtlMs, null);
    }

    public static CorrelationConfig defaults() {
        return new CorrelationConfig(Duration.ofMinutes(10).toMillis(), 2, Duration.ofMinutes(5).toMillis(),
                Duration.ofHours(1).toMillis(), Duration.ofMinutes(1).toMillis(), true, List.of(), 5,
                Duration.ofDays(1).toMillis());
    }

    public static CorrelationConfig from(ReadableConfig conf) {
        List<String> edges = conf.getOptional(HawkeyeOptions.CORRELATE_TOPOLOGY_FILE)
                .map(f -> staticEdges(Topology.load(Path.of(f)))).orElse(List.of());
        return new CorrelationConfig(conf.get(HawkeyeOptions.CORRELATE_WINDOW).toMillis(),
                conf.get(HawkeyeOptions.CORRELATE_MAX_HOPS), conf.get(HawkeyeOptions.CORRELATE_QUIET_PERIOD).toMillis(),
                conf.get(HawkeyeOptions.CORRELATE_EDGE_EXPIRY).toMillis(),
                conf.get(HawkeyeOptions.WINDOW_SIZE).toMillis(), conf.get(HawkeyeOptions.CORRELATE_SUPPRESS_SYMPTOMS),
                edges, 5, Duration.ofDays(1).toMillis(),
                conf.getOptional(HawkeyeOptions.CORRELATE_PARTITION_LABEL).orElse(null));
    }

    /** Each service's direct callees as {@code caller|callee}. */
    public static List<String> staticEdges(Topology topology) {
        List<String> out = new ArrayList<>();
        for (String s : topology.services().keySet()) {
            for (String c : topology.directCallees(s)) out.add(s + "|" + c);
        }
        return out;
    }

    public CorrelationConfig withStaticEdges(List<String> edges) {
        return new CorrelationConfig(windowMs, maxHops, quietPeriodMs, edgeExpiryMs, graphIntervalMs,
                suppressSymptoms, edges, maxRootCauses, stateTtlMs, partitionLabel);
    }

    public CorrelationConfig withSuppressSymptoms(boolean suppress) {
        return new CorrelationConfig(windowMs, maxHops, quietPeriodMs, edgeExpiryMs, graphIntervalMs, suppress,
                staticEdges, maxRootCauses, stateTtlMs, partitionLabel);
    }

    public CorrelationConfig withPartitionLabel(String label) {
        return new CorrelationConfig(windowMs, maxHops, quietPeriodMs, edgeExpiryMs, graphIntervalMs,
                suppressSymptoms, staticEdges, maxRootCauses, stateTtlMs, label);
    }

    /** The alert's partition value ("" when it lacks the label); null when not partitioned. */
    public String partitionOf(io.hawkeye.alerts.Alert a) {
        if (partitionLabel == null) return null;
        String v = a.labels == null ? null : a.labels.get(partitionLabel);
        return v == null ? "" : v;
    }
}
