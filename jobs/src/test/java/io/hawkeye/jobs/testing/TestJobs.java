package io.hawkeye.jobs.testing;

import io.hawkeye.jobs.HawkeyeJob;
import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.index.IndexerJob;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The jobs as the integration tests run them: the production wiring on the test's MiniCluster. */
public final class TestJobs {
    private TestJobs() {}

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
