package io.hawkeye.tools.cli;

import io.hawkeye.jobs.HawkeyeJob;
import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.index.IndexerJob;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hawkeye run}: the job on a local MiniCluster against any Kafka, and with {@code --elasticsearch} the
 * indexer job (output topics → Elasticsearch) on a second one.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the Hawkeye job in this JVM (Flink MiniCluster with web UI, RocksDB, checkpoints",
            "under $HAWKEYE_HOME) against any Kafka and Elasticsearch. On a Flink cluster submit the shaded jar",
            "with `flink run` instead (see the README). Job options: `./hawkeye options`."})
public class RunCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = "--elasticsearch", description = "Elasticsearch URL(s), comma-separated; omit to disable.")
    String elasticsearch;

    @Option(names = {"-c", "--conf"}, paramLabel = "KEY=VALUE",
            description = "A job option (repeatable), e.g. --conf window.size=30s.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Mixin
    WebUiPortOption webUi;

    @Option(names = "--checkpoint-interval", defaultValue = "10s",
            description = "Checkpoint interval (default: ${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    @Override
    public Integer call() throws Exception {
        Configuration c = jobConfiguration(bootstrap, elasticsearch, conf);
        StreamExecutionEnvironment env = LocalFlink.create(LocalFlink.home(), parallelism, webUi.webUiPort,
                checkpointInterval);
        HawkeyeJob.define(env, c);
        JobClient job = env.executeAsync("Hawkeye");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> job.cancel()));
        System.out.println("Job " + job.getJobID() + " running; Flink web UI on " + webUi.url() + ". Ctrl-C stops it.");
        if (elasticsearch != null && !elasticsearch.isBlank()) {
            JobClient indexer = startIndexer(LocalFlink.home(), c, checkpointInterval);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> indexer.cancel()));
            System.out.println("Indexer job " + indexer.getJobID() + " running: output topics -> Elasticsearch.");
        }
        job.getJobExecutionResult().get();
        return 0;
    }

    /** The indexer job (output topics → Elasticsearch) of {@code conf} on a MiniCluster of its own. */
    static JobClient startIndexer(java.nio.file.Path home, Configuration conf, Duration checkpointInterval)
            throws Exception {
        StreamExecutionEnvironment env = LocalFlink.indexer(home, checkpointInterval);
        IndexerJob.applyClusterDefaults(env, conf);
        IndexerJob.define(env, conf);
        return env.executeAsync("Hawkeye indexer");
    }

    static Configuration jobConfiguration(String bootstrap, String elasticsearch, Map<String, String> extra) {
        Map<String, String> m = new LinkedHashMap<>(extra);
        m.put(HawkeyeOptions.KAFKA_BOOTSTRAP.key(), bootstrap);
        if (elasticsearch != null && !elasticsearch.isBlank()) m.put(HawkeyeOptions.ES_HOSTS.key(), elasticsearch);
        return HawkeyeOptions.configuration(m); // rejects misspelt options and capabilities
    }
}
