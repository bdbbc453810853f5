package io.hawkeye.jobs.correlate;

import io.hawkeye.config.RecordCopies;
import io.hawkeye.correlate.IncidentRules;
import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.topology.Topology;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Settings of the alert correlation ({@link CorrelationWorkflow}); see the {@code correlate.*} options of
 * {@link HawkeyeOptions}. Durations in milliseconds of event time.
 *
 * @param windowMs         join window: an alert joins an incident when it starts within this of its latest alert
 * @param maxHops          maximum call-path distance (callers or callees, transitively) to an incident's services
 * @param quietPeriodMs    an incident resolves this long after all its alerts resolved
 * @param edgeExpiryMs     learned edges are removed after this long without calls
 * @param graphIntervalMs  the window of edge statistics, the cadence of graph snapshots and of incident re-ranking
 * @param suppressSymptoms set {@code caused_by} on symptom alerts
 * @param staticEdges      {@code caller|callee} edges that never expire (from the topology file)
 * @param maxRootCauses    length of an incident's {@code root_causes} list
 * @param stateTtlMs       safety net (processing time) for incidents whose alerts never resolve
 * @param partitionLabel   null: one global incident operator (parallelism 1); else the alert label whose value
 *                         partitions the incidents (e.g. cluster or tenant): alerts join only incidents of the
 *                         same value, and the incident operator runs at the job's parallelism
 * @param maxAgeMs         an incident takes new alerts only while they start within this of its {@code opened_at}
 *                         (default 2 × window): under continuous alerting incidents do not grow without bound
 * @param maxServices      an incident with this many services takes new alerts only on those services
 * @param maxAlerts        an incident with this many member alert occurrences takes no new ones
 * @param alignDelayMs     an alert is correlated once the operator's watermark (the minimum of the alert and the
 *                         graph inputs) has passed its timestamp plus this, so that the edges learned from the
 *                         spans up to that time are in the graph first
 * @param maxPending       bound on the alerts buffered for that alignment (per key); beyond it the oldest are
 *                         correlated at once, without waiting for the graph
 *
 * <p>{@link #with} copies with changes; the {@code with…} shortcuts are kept for existing callers.
 */
public record CorrelationConfig(long windowMs, int maxHops, long quietPeriodMs, long edgeExpiryMs,
        long graphIntervalMs, boolean suppressSymptoms, List<String> staticEdges, int maxRootCauses, long stateTtlMs,
        String partitionLabel, long maxAgeMs, int maxServices, int maxAlerts, long alignDelayMs, int maxPending)
        implements Serializable {

    public static final int DEFAULT_MAX_SERVICES = 100;
    public static final int DEFAULT_MAX_ALERTS = 1000;
    public static final int DEFAULT_MAX_PENDING = 100_000;

    public CorrelationConfig {
        if (windowMs <= 0 || maxHops < 0 || quietPeriodMs < 0 || edgeExpiryMs <= 0 || graphIntervalMs <= 0
                || maxRootCauses <= 0 || stateTtlMs <= 0 || maxAgeMs <= 0 || maxServices <= 0 || maxAlerts <= 0
                || alignDelayMs < 0 || maxPending <= 0) {
            throw new IllegalArgumentException("invalid correlation settings");
        }
        staticEdges = List.copyOf(staticEdges);
        if (partitionLabel != null && partitionLabel.isBlank()) partitionLabel = null;
    }

    /** With the default bounds: maximum age 2 × window, 100 services, 1,000 alerts, no alignment delay. */
    public CorrelationConfig(long windowMs, int maxHops, long quietPeriodMs, long edgeExpiryMs, long graphIntervalMs,
            boolean suppressSymptoms, List<String> staticEdges, int maxRootCauses, long stateTtlMs,
            String partitionLabel) {
        this(windowMs, maxHops, quietPeriodMs, edgeExpiryMs, graphIntervalMs, suppressSymptoms, staticEdges,
                maxRootCauses, stateTtlMs, partitionLabel, 2 * windowMs, DEFAULT_MAX_SERVICES, DEFAULT_MAX_ALERTS, 0,
                DEFAULT_MAX_PENDING);
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
            for (String c : topology.directCallees(s)) out.add(io.hawkeye.telemetry.SeriesKeys.join(s, c));
        }
        return out;
    }

    /** A copy with the settings {@code change} makes on a builder holding this one's. */
    public CorrelationConfig with(Consumer<Builder> change) {
        return RecordCopies.with(this, Builder::new, change);
    }

    public CorrelationConfig withStaticEdges(List<String> edges) {
        return with(b -> b.staticEdges = edges);
    }

    public CorrelationConfig withSuppressSymptoms(boolean suppress) {
        return with(b -> b.suppressSymptoms = suppress);
    }

    public CorrelationConfig withPartitionLabel(String label) {
        return with(b -> b.partitionLabel = label);
    }

    /** Incident bounds: maximum age for new members, maximum services and member alert occurrences. */
    public CorrelationConfig withBounds(long maxAge, int services, int alerts) {
        return with(b -> {
            b.maxAgeMs = maxAge;
            b.maxServices = services;
            b.maxAlerts = alerts;
        });
    }

    /** Event-time alignment of the alerts with the graph: extra delay and buffer bound. */
    public CorrelationConfig withAlignment(long delayMs, int pending) {
        return with(b -> {
            b.alignDelayMs = delayMs;
            b.maxPending = pending;
        });
    }

    /** The alert's partition value ("" when it lacks the label); null when not partitioned. */
    public String partitionOf(io.hawkeye.alerts.Alert a) {
        return IncidentRules.partitionOf(partitionLabel, a);
    }

    /** The parameters of the incident rules; the tick is the graph interval. */
    public IncidentRules rules() {
        return new IncidentRules(windowMs, maxHops, maxAgeMs, maxServices, maxAlerts, quietPeriodMs, graphIntervalMs,
                suppressSymptoms, maxRootCauses, partitionLabel);
    }

    /** The settings of a {@link CorrelationConfig} (see its parameters), initially those of the config copied. */
    public static final class Builder {
        public long windowMs;
        public int maxHops;
        public long quietPeriodMs;
        public long edgeExpiryMs;
        public long graphIntervalMs;
        public boolean suppressSymptoms;
        public List<String> staticEdges;
        public int maxRootCauses;
        public long stateTtlMs;
        public String partitionLabel;
        public long maxAgeMs;
        public int maxServices;
        public int maxAlerts;
        public long alignDelayMs;
        public int maxPending;

        private Builder() {}

        public CorrelationConfig build() {
            return RecordCopies.build(CorrelationConfig.class, this);
        }
    }
}
