package io.hawkeye.jobs;

import io.hawkeye.jobs.correlate.CorrelationConfig;
import io.hawkeye.jobs.correlate.CorrelationWorkflow;
import io.hawkeye.jobs.detect.DetectionConfig;
import io.hawkeye.jobs.detect.DetectionWorkflow;
import io.hawkeye.jobs.ingest.TelemetryEvent;
import io.hawkeye.jobs.percentiles.WindowSpec;
import io.hawkeye.jobs.percentiles.WindowStatsWorkflow;
import io.hawkeye.jobs.scale.ScalingConfig;
import io.hawkeye.jobs.scale.ScalingWorkflow;
import java.time.Duration;
import java.util.Set;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Hawkeye job: telemetry → window statistics, and on top of them, per {@code capabilities}, anomaly detection,
 * alert correlation and predictive scaling; every result to Kafka (exactly-once). {@code main} is the entry point
 * for {@code flink run}; options are {@code --key value} pairs, see {@link HawkeyeOptions} and the README's
 * configuration table. Elasticsearch is written by a second job, {@link io.hawkeye.jobs.index.IndexerJob}, from
 * the output topics, so that an Elasticsearch outage never holds back this job's checkpoints and Kafka commits.
 *
 * <pre>flink run -d hawkeye-jobs-*-flink-job.jar --kafka.bootstrap-servers kafka:9092
 * flink run -d -c io.hawkeye.jobs.index.IndexerJob hawkeye-jobs-*-flink-job.jar \
 *     --kafka.bootstrap-servers kafka:9092 --elasticsearch.hosts https://es:9200</pre>
 *
 * <p>{@link #define(StreamExecutionEnvironment, Sources, Sinks, ReadableConfig)} is the one wiring: the cluster
 * main, {@code ./hawkeye run}/{@code demo}, the integration tests and the throughput benchmark all call it, with
 * their sources and sinks injected; the outputs are the rows of {@link Outputs}.
 */
public final class HawkeyeJob {

    /** The streams of one job, for callers that attach more (e.g. a benchmark counting scores); null when off. */
    public record Pipeline(WindowStatsWorkflow.Outputs stats, DetectionWorkflow.Outputs detection,
            CorrelationWorkflow.Outputs correlation, ScalingWorkflow.Outputs scaling) {}

    private HawkeyeJob() {}

    public static void main(String[] args) throws Exception {
        run(args, "Hawkeye", HawkeyeJob::applyClusterDefaults, HawkeyeJob::define);
    }

    /** One step of setting up a job: on the environment, with the job's options. */
    @FunctionalInterface
    public interface Setup {
        void apply(StreamExecutionEnvironment env, ReadableConfig conf);
    }

    /**
     * The main of each Hawkeye job: its options from {@code args}, then its cluster {@code defaults} and its graph
     * ({@code define}) on the environment, run as {@code name}.
     */
    public static void run(String[] args, String name, Setup defaults, Setup define) throws Exception {
        Configuration conf = HawkeyeOptions.fromArgs(args); // rejects misspelt options and capabilities
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        defaults.apply(env, conf);
        define.apply(env, conf);
        env.execute(name);
    }

    /**
     * Fills in checkpointing, state backend and max parallelism where the cluster configuration leaves them
     * unset, so that a cluster's config.yaml always wins.
     */
    public static void applyClusterDefaults(StreamExecutionEnvironment env, ReadableConfig conf) {
        Configuration defaults = commonDefaults(env.getConfiguration(), conf);
        if (env.getConfiguration().getOptional(StateBackendOptions.STATE_BACKEND).isEmpty()) {
            defaults.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        }
        env.configure(defaults);
    }

    /**
     * What every Hawkeye job (this one and the indexer) fills in where the cluster leaves it unset: exactly-once
     * checkpointing at {@code defaults.checkpoint-interval} and the max parallelism.
     */
    public static Configuration commonDefaults(ReadableConfig cluster, ReadableConfig conf) {
        Configuration defaults = new Configuration();
        if (cluster.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).isEmpty()) {
            defaults.set(CheckpointingOptions.CHECKPOINTING_INTERVAL,
                    conf.get(HawkeyeOptions.DEFAULT_CHECKPOINT_INTERVAL));
            defaults.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        }
        if (cluster.getOptional(PipelineOptions.MAX_PARALLELISM).isEmpty()) {
            defaults.set(PipelineOptions.MAX_PARALLELISM, conf.get(HawkeyeOptions.DEFAULT_MAX_PARALLELISM));
        }
        return defaults;
    }

    public static WindowSpec windowSpec(ReadableConfig conf) {
        Duration size = conf.get(HawkeyeOptions.WINDOW_SIZE);
        return new WindowSpec(size.toMillis(), conf.getOptional(HawkeyeOptions.WINDOW_SLIDE).orElse(size).toMillis(),
                conf.get(HawkeyeOptions.ALLOWED_LATENESS).toMillis(), conf.get(HawkeyeOptions.RELATIVE_ACCURACY),
                conf.get(HawkeyeOptions.FLUSH_INTERVAL).toMillis(), conf.get(HawkeyeOptions.MAX_BUFFERED_SERIES),
                conf.get(HawkeyeOptions.MAX_ENDPOINTS_PER_SERVICE), conf.get(HawkeyeOptions.MAX_METRICS_PER_SERVICE),
                conf.get(HawkeyeOptions.SERIES_IDLE_TIMEOUT).toMillis());
    }

    /** The production job: Kafka sources, exactly-once Kafka sinks. */
    public static Pipeline define(StreamExecutionEnvironment env, ReadableConfig conf) {
        return define(env, Sources.kafka(), Sinks.of(conf), conf);
    }

    /**
     * The job on {@code sources}, writing to {@code sinks}: window statistics always; detection (seasonal
     * baselines, threshold rules, multivariate detectors, one alert model), correlation (incidents over the
     * dependency graph; needs detection) and scaling (forecasts, scaling actions, scorecards) per
     * {@code capabilities}.
     */
    public static Pipeline define(StreamExecutionEnvironment env, Sources sources, Sinks sinks,
            ReadableConfig conf) {
        Set<String> capabilities = capabilities(conf);
        DataStream<TelemetryEvent> telemetry = sources.telemetry(env, conf);
        WindowStatsWorkflow.Outputs stats = WindowStatsWorkflow.build(telemetry, windowSpec(conf),
                capabilities.contains("call-edges"));
        write(sinks, stats.windowStats(), Outputs.WINDOW_STATS);
        if (stats.callEdges() != null) write(sinks, stats.callEdges(), Outputs.CALL_EDGES);
        write(sinks, stats.metricStats(), Outputs.METRIC_STATS);
        write(sinks, stats.deadLetters(), Outputs.DEAD_LETTERS);

        DetectionWorkflow.Outputs detection = null;
        CorrelationWorkflow.Outputs correlation = null;
        if (capabilities.contains("detection")) {
            DetectionConfig config = DetectionConfig.from(conf); // fails at startup on a bad rules file
            detection = DetectionWorkflow.build(stats.windowStats(), stats.metricStats(), stats.callEdges(),
                    sources.rules(env, conf), config);
            write(sinks, detection.alerts(), Outputs.ALERTS);
            if (capabilities.contains("correlation")) {
                correlation = CorrelationWorkflow.build(stats.spans(), detection.alerts(),
                        CorrelationConfig.from(conf));
                write(sinks, correlation.incidents(), Outputs.INCIDENTS);
                write(sinks, correlation.topology(), Outputs.TOPOLOGY);
                write(sinks, correlation.annotatedAlerts(), Outputs.ANNOTATED_ALERTS);
            }
        }
        ScalingWorkflow.Outputs scaling = null;
        if (capabilities.contains("scaling")) {
            scaling = ScalingWorkflow.build(stats.windowStats(), stats.metricStats(), ScalingConfig.from(conf));
            write(sinks, scaling.forecasts(), Outputs.FORECASTS);
            write(sinks, scaling.actions(), Outputs.SCALING_ACTIONS);
            write(sinks, scaling.scores(), Outputs.FORECAST_SCORES);
        }
        return new Pipeline(stats, detection, correlation, scaling);
    }

    public static Set<String> capabilities(ReadableConfig conf) {
        return Set.copyOf(HawkeyeOptions.capabilities(conf.get(HawkeyeOptions.CAPABILITIES)));
    }

    private static <T> void write(Sinks sinks, DataStream<T> stream, Output<T> output) {
        sinks.kafka(output.partitionBy() == null ? stream : stream.keyBy(output.partitionBy()), output);
    }
}
