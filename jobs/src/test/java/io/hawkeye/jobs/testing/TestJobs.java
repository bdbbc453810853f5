package io.hawkeye.jobs.testing;

import io.hawkeye.jobs.HawkeyeJob;
import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.index.IndexerJob;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The jobs as the integration tests run them: the production wiring on the test's MiniCluster. */
public final class TestJobs {
    /** The topics of the full job (window statistics, detection, correlation), by kind. */
    public static final List<String> DETECTION_TOPICS = List.of("telemetry", "window-stats", "metric-stats", "dlq",
            "alerts", "incidents", "topology", "annotated-alerts", "rules");

    private static final Map<String, ConfigOption<String>> TOPIC_OPTIONS = Map.ofEntries(
            Map.entry("telemetry", HawkeyeOptions.TOPIC_TELEMETRY),
            Map.entry("window-stats", HawkeyeOptions.TOPIC_WINDOW_STATS),
            Map.entry("metric-stats", HawkeyeOptions.TOPIC_METRIC_STATS),
            Map.entry("dlq", HawkeyeOptions.TOPIC_DLQ),
            Map.entry("alerts", HawkeyeOptions.TOPIC_ALERTS),
            Map.entry("incidents", HawkeyeOptions.TOPIC_INCIDENTS),
            Map.entry("topology", HawkeyeOptions.TOPIC_TOPOLOGY),
            Map.entry("annotated-alerts", HawkeyeOptions.TOPIC_ANNOTATED_ALERTS),
            Map.entry("rules", HawkeyeOptions.TOPIC_RULES),
            Map.entry("forecasts", HawkeyeOptions.TOPIC_FORECASTS),
            Map.entry("forecast-scores", HawkeyeOptions.TOPIC_FORECAST_SCORES),
            Map.entry("scaling-actions", HawkeyeOptions.TOPIC_SCALING_ACTIONS));

    private TestJobs() {}

    /** The MiniCluster most integration tests run on: one TaskManager with two slots (parallelism 2). */
    public static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(2).build());
    }

    /**
     * Job options naming the topic of each of {@code kinds} ({@code "telemetry"}, {@code "window-stats"}, … — the
     * suffix of the {@code topic.*} option): {@code topic.apply(kind)}. A mutable map, for the test's other options.
     */
    public static Map<String, String> topicOptions(UnaryOperator<String> topic, Collection<String> kinds) {
        Map<String, String> options = new HashMap<>();
        for (String kind : kinds) {
            ConfigOption<String> option = TOPIC_OPTIONS.get(kind);
            if (option == null) throw new IllegalArgumentException("no topic option for " + kind);
            options.put(option.key(), topic.apply(kind));
        }
        return options;
    }

    /**
     * Job options for the test broker at {@code bootstrap}, reading from the earliest offsets, with the given {@code
     * capabilities}: what every pipeline test's options start from. A mutable map, for the test's other options.
     */
    public static Map<String, String> jobOptions(String bootstrap, String capabilities) {
        Map<String, String> options = new HashMap<>();
        options.put(HawkeyeOptions.KAFKA_BOOTSTRAP.key(), bootstrap);
        options.put(HawkeyeOptions.KAFKA_STARTING_OFFSETS.key(), "earliest");
        options.put(HawkeyeOptions.CAPABILITIES.key(), capabilities);
        return options;
    }

    /**
     * {@link #jobOptions} of a bounded run: the sources stop at the topics' ends as of the start and no partition is
     * ever idle (each has data), so the job finishes once it has processed everything in the topics.
     */
    public static Map<String, String> boundedJobOptions(String bootstrap, String capabilities) {
        Map<String, String> options = jobOptions(bootstrap, capabilities);
        options.put(HawkeyeOptions.KAFKA_BOUNDED.key(), "true");
        options.put(HawkeyeOptions.IDLENESS.key(), "0");
        return options;
    }

    /**
     * Names in {@code options} the topics of the window-statistics pipeline: the telemetry it reads, the window and
     * metric statistics it writes, and its dead letters.
     */
    public static void putWindowStatsTopics(Map<String, String> options, String telemetry, String windowStats,
            String metricStats, String dlq) {
        options.put(HawkeyeOptions.TOPIC_TELEMETRY.key(), telemetry);
        options.put(HawkeyeOptions.TOPIC_WINDOW_STATS.key(), windowStats);
        options.put(HawkeyeOptions.TOPIC_METRIC_STATS.key(), metricStats);
        options.put(HawkeyeOptions.TOPIC_DLQ.key(), dlq);
    }

    /** Waits (at most a minute) until {@code job} is running. */
    public static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            if (System.currentTimeMillis() > deadline) throw new IllegalStateException("job did not start");
            Thread.sleep(100);
        }
    }

    /** {@link #define(Map, Duration, Configuration)} without further cluster settings. */
    public static StreamExecutionEnvironment define(Map<String, String> options, Duration checkpointInterval) {
        return define(options, checkpointInterval, new Configuration());
    }

    /**
     * An environment at parallelism 2 with RocksDB, checkpoints every {@code checkpointInterval} and the {@code
     * cluster} settings, on which {@link HawkeyeJob#define} has built the job of {@code options}.
     */
    public static StreamExecutionEnvironment define(Map<String, String> options, Duration checkpointInterval,
            Configuration cluster) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        Configuration c = new Configuration(cluster);
        c.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        env.configure(c);
        Configuration job = Configuration.fromMap(options);
        HawkeyeJob.applyClusterDefaults(env, job);
        HawkeyeJob.define(env, job);
        return env;
    }

    /**
     * The indexer job of {@code options} (Elasticsearch from the output topics) at parallelism 2, bounded at the
     * topics' ends as of its start: run after the job, it indexes everything the job committed, then finishes.
     */
    public static StreamExecutionEnvironment indexer(Map<String, String> options) {
        Map<String, String> bounded = new HashMap<>(options);
        bounded.put(HawkeyeOptions.KAFKA_BOUNDED.key(), "true");
        return indexerUnbounded(bounded);
    }

    /** The indexer job of {@code options} at parallelism 2, as in production (unbounded unless kafka.bounded). */
    public static StreamExecutionEnvironment indexerUnbounded(Map<String, String> options) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        Configuration c = new Configuration();
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(2));
        env.configure(c);
        Configuration job = Configuration.fromMap(options);
        IndexerJob.applyClusterDefaults(env, job);
        IndexerJob.define(env, job);
        return env;
    }
}
