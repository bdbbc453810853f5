package io.hawkeye.jobs;

import io.hawkeye.correlate.Incident;
import io.hawkeye.jobs.elasticsearch.DailyIndexNames;
import io.hawkeye.jobs.elasticsearch.DocumentFunction;
import io.hawkeye.jobs.elasticsearch.ElasticsearchConnectionConfig;
import io.hawkeye.jobs.elasticsearch.ElasticsearchDocument;
import io.hawkeye.jobs.elasticsearch.ElasticsearchSink;
import io.hawkeye.jobs.elasticsearch.KafkaDeadLetterHandler;
import io.hawkeye.alerts.Alert;
import io.hawkeye.jobs.correlate.CorrelationConfig;
import io.hawkeye.jobs.correlate.CorrelationWorkflow;
import io.hawkeye.jobs.correlate.TopologyEdge;
import io.hawkeye.jobs.detect.DetectionConfig;
import io.hawkeye.jobs.detect.DetectionWorkflow;
import io.hawkeye.jobs.detect.RuleUpdate;
import io.hawkeye.jobs.detect.RuleUpdateDeserializer;
import io.hawkeye.jobs.ingest.TelemetryEvent;
import io.hawkeye.jobs.kafka.KafkaIO;
import io.hawkeye.jobs.percentiles.WindowSpec;
import io.hawkeye.jobs.scale.ScalingConfig;
import io.hawkeye.jobs.scale.ScalingWorkflow;
import io.hawkeye.scaling.ForecastScore;
import io.hawkeye.scaling.LoadForecast;
import io.hawkeye.scaling.ScalingAction;
import io.hawkeye.jobs.percentiles.WindowStatsWorkflow;
import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import io.hawkeye.telemetry.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/**
 * The Hawkeye job: telemetry from Kafka → window statistics → Kafka (exactly-once) and Elasticsearch
 * (idempotent). {@code main} is the entry point for {@code flink run}; options are {@code --key value} pairs,
 * see {@link HawkeyeOptions} and the README's configuration table.
 *
 * <pre>flink run -d hawkeye-jobs-*-flink-job.jar --kafka.bootstrap-servers kafka:9092 \
 *     --elasticsearch.hosts https://es:9200</pre>
 */
public final class HawkeyeJob {
    public static final String UID_SOURCE = "telemetry-source";
    public static final String UID_SINK_WINDOW_STATS = "window-stats-kafka-sink";
    public static final String UID_SINK_METRIC_STATS = "metric-stats-kafka-sink";
    public static final String UID_SINK_DLQ = "dead-letter-kafka-sink";
    public static final String UID_ES_WINDOW_STATS = "window-stats-elasticsearch-sink";
    public static final String UID_ES_METRIC_STATS = "metric-stats-elasticsearch-sink";
    public static final String UID_RULES_SOURCE = "rules-source";
    public static final String UID_SINK_ALERTS = "alerts-kafka-sink";
    public static final String UID_ES_ALERTS = "alerts-elasticsearch-sink";
    public static final String UID_SINK_FORECASTS = "forecasts-kafka-sink";
    public static final String UID_SINK_SCALING_ACTIONS = "scaling-actions-kafka-sink";
    public static final String UID_SINK_FORECAST_SCORES = "forecast-scores-kafka-sink";
    public static final String UID_ES_FORECASTS = "forecasts-elasticsearch-sink";
    public static final String UID_ES_SCALING_ACTIONS = "scaling-actions-elasticsearch-sink";
    public static final String UID_SINK_INCIDENTS = "incidents-kafka-sink";
    public static final String UID_ES_INCIDENTS = "incidents-elasticsearch-sink";
    public static final String UID_SINK_TOPOLOGY = "topology-kafka-sink";
    public static final String UID_ES_TOPOLOGY = "topology-elasticsearch-sink";
    public static final String UID_SINK_ANNOTATED_ALERTS = "annotated-alerts-kafka-sink";

    private HawkeyeJob() {}

    public static void main(String[] args) throws Exception {
        Configuration conf = Configuration.fromMap(ParameterTool.fromArgs(args).toMap());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        applyClusterDefaults(env, conf);
        define(env, conf);
        env.execute("Hawkeye");
    }

    /**
     * Fills in checkpointing, state backend and max parallelism where the cluster configuration leaves them
     * unset, so that a cluster's config.yaml always wins.
     */
    public static void applyClusterDefaults(StreamExecutionEnvironment env, ReadableConfig conf) {
        ReadableConfig cluster = env.getConfiguration();
        Configuration defaults = new Configuration();
        if (cluster.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).isEmpty()) {
            defaults.set(CheckpointingOptions.CHECKPOINTING_INTERVAL,
                    conf.get(HawkeyeOptions.DEFAULT_CHECKPOINT_INTERVAL));
            defaults.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        }
        if (cluster.getOptional(StateBackendOptions.STATE_BACKEND).isEmpty()) {
            defaults.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        }
        if (cluster.getOptional(PipelineOptions.MAX_PARALLELISM).isEmpty()) {
            defaults.set(PipelineOptions.MAX_PARALLELISM, conf.get(HawkeyeOptions.DEFAULT_MAX_PARALLELISM));
        }
        env.configure(defaults);
    }

    public static WindowSpec windowSpec(ReadableConfig conf) {
        Duration size = conf.get(HawkeyeOptions.WINDOW_SIZE);
        return new WindowSpec(size.toMillis(), conf.getOptional(HawkeyeOptions.WINDOW_SLIDE).orElse(size).toMillis(),
                conf.get(HawkeyeOptions.ALLOWED_LATENESS).toMillis(), conf.get(HawkeyeOptions.RELATIVE_ACCURACY),
                conf.get(HawkeyeOptions.FLUSH_INTERVAL).toMillis(), conf.get(HawkeyeOptions.MAX_BUFFERED_SERIES));
    }

    /**
     * For a side input without event time (rule updates): it emits the highest watermark, so that it never holds
     * back the event time of the operator it is connected to. With {@code noWatermarks()} that operator's watermark
     * would stay at its initial value while the job runs — no event-time timer downstream of it (absence of traffic,
     * alignment of alerts with the learned graph, incident resolution) would fire before the end of input.
     */
    static <T> WatermarkStrategy<T> withoutEventTime() {
        return WatermarkStrategy.forGenerator(ctx -> new WatermarkGenerator<T>() {
            @Override
            public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.emitWatermark(new Watermark(Long.MAX_VALUE));
            }
        });
    }

    public static WatermarkStrategy<TelemetryEvent> watermarks(ReadableConfig conf) {
        return WindowStatsWorkflow.watermarks(conf.get(HawkeyeOptions.OUT_OF_ORDERNESS),
                conf.get(HawkeyeOptions.IDLENESS));
    }

    /** The production wiring: Kafka source, the window-statistics workflow, Kafka and Elasticsearch sinks. */
    public static WindowStatsWorkflow.Outputs define(StreamExecutionEnvironment env, ReadableConfig conf) {
        DataStream<TelemetryEvent> telemetry = env
                .fromSource(KafkaIO.telemetrySource(conf), watermarks(conf), "Kafka telemetry")
                .uid(UID_SOURCE);
        WindowStatsWorkflow.Outputs out = WindowStatsWorkflow.build(telemetry, windowSpec(conf));

        out.windowStats().sinkTo(KafkaIO.<WindowStats>exactlyOnceSink(conf,
                        conf.get(HawkeyeOptions.TOPIC_WINDOW_STATS), "window-stats",
                        w -> w.seriesId.getBytes(StandardCharsets.UTF_8), WindowStats::toJson))
                .uid(UID_SINK_WINDOW_STATS).name("Kafka: window stats");
        out.metricStats().sinkTo(KafkaIO.<MetricStats>exactlyOnceSink(conf,
                        conf.get(HawkeyeOptions.TOPIC_METRIC_STATS), "metric-stats",
                        m -> m.seriesId.getBytes(StandardCharsets.UTF_8), MetricStats::toJson))
                .uid(UID_SINK_METRIC_STATS).name("Kafka: metric stats");
        out.deadLetters().sinkTo(KafkaIO.<DeadLetter>exactlyOnceSink(conf, conf.get(HawkeyeOptions.TOPIC_DLQ),
                        "dlq", DeadLetter::key, DeadLetter::toJson))
                .uid(UID_SINK_DLQ).name("Kafka: dead letters");
        conf.getOptional(HawkeyeOptions.ES_HOSTS).ifPresent(hosts -> {
            out.windowStats().sinkTo(elasticsearchSink(conf, w -> ElasticsearchDocument.of(
                            DailyIndexNames.windowStats(w.windowStart), w.documentId(), w.toJson())))
                    .uid(UID_ES_WINDOW_STATS).name("Elasticsearch: window stats");
            out.metricStats().sinkTo(elasticsearchSink(conf, m -> ElasticsearchDocument.of(
                            DailyIndexNames.metricStats(m.windowStart), m.documentId(), m.toJson())))
                    .uid(UID_ES_METRIC_STATS).name("Elasticsearch: metric stats");
        });
        if (capabilities(conf).contains("detection")) {
            DataStream<Alert> alerts = defineDetection(env, conf, out);
            if (capabilities(conf).contains("correlation")) defineCorrelation(conf, out, alerts);
        }
        if (capabilities(conf).contains("scaling")) defineScaling(conf, out);
        return out;
    }

    static java.util.Set<String> capabilities(ReadableConfig conf) {
        return Arrays.stream(conf.get(HawkeyeOptions.CAPABILITIES).split(",")).map(String::trim)
                .filter(c -> !c.isEmpty()).collect(java.util.stream.Collectors.toSet());
    }

    /**
     * Anomaly detection on the window statistics: seasonal baselines per series and threshold rules (from the
     * rules file, updated at runtime from the compacted rules topic), one alert model, to Kafka and Elasticsearch.
     */
    static DataStream<Alert> defineDetection(StreamExecutionEnvironment env, ReadableConfig conf,
            WindowStatsWorkflow.Outputs out) {
        DetectionConfig detection = DetectionConfig.from(conf); // fails at startup on a bad rules file
        String rulesTopic = conf.get(HawkeyeOptions.TOPIC_RULES);
        org.apache.flink.connector.kafka.source.KafkaSourceBuilder<RuleUpdate> rules = KafkaSource.<RuleUpdate>builder();
        // A bounded job must not wait forever on the rules topic: it reads the rules present at startup.
        if (conf.get(HawkeyeOptions.KAFKA_BOUNDED)) rules.setBounded(OffsetsInitializer.latest());
        DataStream<RuleUpdate> ruleUpdates = rulesTopic.isBlank() ? null : env.fromSource(
                        rules
                                .setBootstrapServers(KafkaIO.bootstrap(conf))
                                .setTopics(rulesTopic)
                                .setGroupId(conf.get(HawkeyeOptions.KAFKA_GROUP_ID) + "-rules")
                                // Compacted: read from the beginning to get the full rule set on every start.
                                .setStartingOffsets(OffsetsInitializer.earliest())
                                .setDeserializer(new RuleUpdateDeserializer())
                                .setProperties(KafkaIO.clientProperties(conf))
                                .setProperty("isolation.level", "read_committed")
                                .build(),
                        withoutEventTime(), "Kafka rules")
                .uid(UID_RULES_SOURCE).setParallelism(1);
        DataStream<Alert> alerts = DetectionWorkflow.build(out.windowStats(), out.metricStats(), ruleUpdates,
                detection).alerts();
        alerts.sinkTo(KafkaIO.<Alert>exactlyOnceSink(conf, conf.get(HawkeyeOptions.TOPIC_ALERTS), "alerts",
                        a -> a.alertId.getBytes(StandardCharsets.UTF_8), Alert::toJson))
                .uid(UID_SINK_ALERTS).name("Kafka: alerts");
        // With correlation, Elasticsearch gets the annotated alerts instead (same documents, with incident_id).
        if (!capabilities(conf).contains("correlation")) alertsToElasticsearch(conf, alerts);
        return alerts;
    }

    private static void alertsToElasticsearch(ReadableConfig conf, DataStream<Alert> alerts) {
        conf.getOptional(HawkeyeOptions.ES_HOSTS).ifPresent(hosts -> alerts
                // By document id: one subtask per document, so that its updates are written in order.
                .keyBy(Alert::documentId)
                .sinkTo(elasticsearchSink(conf, a -> ElasticsearchDocument.of(
                        // By starts_at: updates and the resolution of one alert replace the same document.
                        DailyIndexNames.daily("hawkeye-alerts", a.startsAt), a.documentId(), a.toJson())))
                .uid(UID_ES_ALERTS).name("Elasticsearch: alerts"));
    }

    /**
     * Alert correlation: the dependency graph learned from spans (plus the optional topology file) to Kafka and
     * Elasticsearch {@code hawkeye-topology}; incidents to Kafka and {@code hawkeye-incidents}; alerts annotated
     * with {@code incident_id}/{@code caused_by} to their Kafka topic and, in place of the raw alerts, to
     * {@code hawkeye-alerts-*}.
     */
    static CorrelationWorkflow.Outputs defineCorrelation(ReadableConfig conf, WindowStatsWorkflow.Outputs out,
            DataStream<Alert> alerts) {
        CorrelationWorkflow.Outputs corr = CorrelationWorkflow.build(out.spans(), alerts,
                CorrelationConfig.from(conf));
        corr.incidents().keyBy(i -> i.incidentId)
                .sinkTo(KafkaIO.<Incident>exactlyOnceSink(conf, conf.get(HawkeyeOptions.TOPIC_INCIDENTS),
                        "incidents", i -> i.incidentId.getBytes(StandardCharsets.UTF_8), Incident::toJson))
                .uid(UID_SINK_INCIDENTS).name("Kafka: incidents");
        corr.topology().sinkTo(KafkaIO.<TopologyEdge>exactlyOnceSink(conf, conf.get(HawkeyeOptions.TOPIC_TOPOLOGY),
                        "topology", e -> e.documentId().getBytes(StandardCharsets.UTF_8), TopologyEdge::toJson))
                .uid(UID_SINK_TOPOLOGY).name("Kafka: topology");
        corr.annotatedAlerts().keyBy(Alert::documentId)
                .sinkTo(KafkaIO.<Alert>exactlyOnceSink(conf, conf.get(HawkeyeOptions.TOPIC_ANNOTATED_ALERTS),
                        "annotated-alerts", a -> a.alertId.getBytes(StandardCharsets.UTF_8), Alert::toJson))
                .uid(UID_SINK_ANNOTATED_ALERTS).name("Kafka: annotated alerts");
        alertsToElasticsearch(conf, corr.annotatedAlerts());
        conf.getOptional(HawkeyeOptions.ES_HOSTS).ifPresent(hosts -> {
            corr.incidents().keyBy(i -> i.incidentId)
                    .sinkTo(elasticsearchSink(conf, i -> ElasticsearchDocument.of("hawkeye-incidents", i.incidentId,
                            i.toJson())))
                    .uid(UID_ES_INCIDENTS).name("Elasticsearch: incidents");
            corr.topology().keyBy(TopologyEdge::documentId)
                    .sinkTo(elasticsearchSink(conf, e -> ElasticsearchDocument.of("hawkeye-topology",
                            e.documentId(), e.toJson())))
                    .uid(UID_ES_TOPOLOGY).name("Elasticsearch: topology");
        });
        return corr;
    }

    /** Predictive scaling on the window statistics: forecasts, scaling actions and the forecast scorecard. */
    static ScalingWorkflow.Outputs defineScaling(ReadableConfig conf, WindowStatsWorkflow.Outputs out) {
        ScalingWorkflow.Outputs scaling = ScalingWorkflow.build(out.windowStats(), out.metricStats(),
                ScalingConfig.from(conf));
        scaling.forecasts().sinkTo(KafkaIO.<LoadForecast>exactlyOnceSink(conf,
                        conf.get(HawkeyeOptions.TOPIC_FORECASTS), "forecasts",
                        f -> f.service.getBytes(StandardCharsets.UTF_8), LoadForecast::toJson))
                .uid(UID_SINK_FORECASTS).name("Kafka: forecasts");
        scaling.actions().sinkTo(KafkaIO.<ScalingAction>exactlyOnceSink(conf,
                        conf.get(HawkeyeOptions.TOPIC_SCALING_ACTIONS), "scaling-actions",
                        a -> a.service.getBytes(StandardCharsets.UTF_8), ScalingAction::toJson))
                .uid(UID_SINK_SCALING_ACTIONS).name("Kafka: scaling actions");
        scaling.scores().sinkTo(KafkaIO.<ForecastScore>exactlyOnceSink(conf,
                        conf.get(HawkeyeOptions.TOPIC_FORECAST_SCORES), "forecast-scores",
                        f -> f.service.getBytes(StandardCharsets.UTF_8), ForecastScore::toJson))
                .uid(UID_SINK_FORECAST_SCORES).name("Kafka: forecast scores");
        conf.getOptional(HawkeyeOptions.ES_HOSTS).ifPresent(hosts -> {
            scaling.forecasts().sinkTo(elasticsearchSink(conf, f -> ElasticsearchDocument.of(
                            DailyIndexNames.daily("hawkeye-forecasts", f.generatedAt), f.documentId(), f.toJson())))
                    .uid(UID_ES_FORECASTS).name("Elasticsearch: forecasts");
            scaling.actions().sinkTo(elasticsearchSink(conf, a -> ElasticsearchDocument.of(
                            DailyIndexNames.daily("hawkeye-scaling-actions", a.generatedAt), a.actionId,
                            a.toJson())))
                    .uid(UID_ES_SCALING_ACTIONS).name("Elasticsearch: scaling actions");
        });
        return scaling;
    }

    /**
     * An idempotent Elasticsearch sink: at-least-once delivery of documents with deterministic ids. Documents
     * Elasticsearch rejects (4xx per item) go to the dead-letter topic.
     */
    public static <T> ElasticsearchSink<T> elasticsearchSink(ReadableConfig conf, DocumentFunction<T> documents) {
        List<String> hosts = Arrays.stream(conf.get(HawkeyeOptions.ES_HOSTS).split(",")).map(String::trim)
                .filter(h -> !h.isEmpty()).toList();
        Map<String, String> producer = new HashMap<>();
        KafkaIO.clientProperties(conf).forEach((k, v) -> producer.put(String.valueOf(k), String.valueOf(v)));
        return ElasticsearchSink.<T>builder()
                .setConnectionConfig(ElasticsearchConnectionConfig.fromEnvironment(hosts))
                .setDocumentFunction(documents)
                .setMaxBatchActions(conf.get(HawkeyeOptions.ES_BULK_ACTIONS))
                // Documents updated in place (alerts, incidents, late window revisions) must land in order: with
                // several bulk requests in flight a newer version could be overtaken by an older one. Each stream
                // reaches its sink partitioned by document id, so one request in flight per subtask keeps the order.
                .setMaxInFlightRequests(1)
                .setMaxTimeInBuffer(conf.get(HawkeyeOptions.ES_BULK_INTERVAL))
                .setFailedDocumentHandler(new KafkaDeadLetterHandler(KafkaIO.bootstrap(conf),
                        conf.get(HawkeyeOptions.TOPIC_DLQ), producer))
                .build();
    }
}
