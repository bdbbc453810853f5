package io.hawkeye.tools.cli;

import io.hawkeye.jobs.HawkeyeOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A Flink MiniCluster in this JVM with the web UI, RocksDB state and file checkpoints under the Hawkeye home
 * directory: what {@code ./hawkeye run} and {@code ./hawkeye demo} execute the job on; the indexer job (Kafka →
 * Elasticsearch) runs on a second, smaller one.
 */
final class LocalFlink {
    private LocalFlink() {}

    static StreamExecutionEnvironment create(Path home, int parallelism, String webUiPorts,
            Duration checkpointInterval) {
        Configuration c = new Configuration();
        c.set(RestOptions.BIND_PORT, webUiPorts);
        c.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        c.set(RestOptions.ADDRESS, "127.0.0.1");
        c.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                home.resolve("checkpoints").toAbsolutePath().toUri().toString());
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        c.setString("taskmanager.numberOfTaskSlots", String.valueOf(parallelism));
        c.setString("pipeline.max-parallelism",
                String.valueOf(HawkeyeOptions.DEFAULT_MAX_PARALLELISM.defaultValue()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(c);
        env.setParallelism(parallelism);
        return env;
    }

    /**
     * The indexer job's environment: a MiniCluster of its own (its checkpoints must never wait for the analytics
     * job's, nor the other way round), without web UI, at parallelism 1, checkpoints under the Hawkeye home.
     */
    static StreamExecutionEnvironment indexer(Path home, Duration checkpointInterval) {
        Configuration c = new Configuration();
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                home.resolve("checkpoints-indexer").toAbsolutePath().toUri().toString());
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        c.setString("pipeline.max-parallelism",
                String.valueOf(HawkeyeOptions.DEFAULT_MAX_PARALLELISM.defaultValue()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(c);
        env.setParallelism(1);
        return env;
    }

    static Path home() {
        String h = System.getenv("HAWKEYE_HOME");
        return Path.of(h != null && !h.isBlank() ? h : ".hawkeye");
    }
}
