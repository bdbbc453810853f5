package io.hawkeye.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.hawkeye.alerts.Alert;
import io.hawkeye.correlate.Incident;
import io.hawkeye.jobs.correlate.TopologyEdge;
import io.hawkeye.jobs.elasticsearch.DailyIndexNames;
import io.hawkeye.jobs.elasticsearch.ElasticsearchDocument;
import io.hawkeye.scaling.ForecastScore;
import io.hawkeye.scaling.LoadForecast;
import io.hawkeye.scaling.ScalingAction;
import io.hawkeye.stats.CallEdgeStats;
import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import io.hawkeye.telemetry.DeadLetter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The job's output table: every topic and index Hawkeye writes, with its record type, key, serializer, document
 * id, transactional-id suffix and Kafka sink uid — the contract of the README's "Topics and indices" table in one place.
 * {@link HawkeyeJob#define} connects each workflow's streams to these rows; the sinks come from {@link Sinks}.
 *
 * <p>Uids and transactional-id names are part of the savepoint contract: never change them. The analytics job
 * writes every row to Kafka only; the rows with a document function are indexed in Elasticsearch by the separate
 * indexer job ({@code io.hawkeye.jobs.index.IndexerJob}), which reads their topics back with read_committed.
 *
 * <p>Serializers are lambdas, never method references such as {@code WindowStats::toJson}: {@code toJson} is
 * inherited from {@code OutputRecord}, and serializable method references to the same inherited method deserialize
 * to whichever of them javac's {@code $deserializeLambda$} lists first (it does not compare the instantiated type),
 * so every sink would cast its records to one class ({@code HawkeyeJobTest} checks each row after a round trip).
 */
public final class Outputs {
    private Outputs() {}

    public static final Output<WindowStats> WINDOW_STATS = Output.kafka(WindowStats.class, "window stats",
                    "window-stats", "window-stats-kafka-sink", HawkeyeOptions.TOPIC_WINDOW_STATS,
                    w -> w.seriesId.getBytes(UTF_8), w -> w.toJson())
            .andElasticsearch(w -> ElasticsearchDocument.of(
                    DailyIndexNames.windowStats(w.windowStart), w.documentId(), w.toJson()));

    public static final Output<MetricStats> METRIC_STATS = Output.kafka(MetricStats.class, "metric stats",
                    "metric-stats", "metric-stats-kafka-sink", HawkeyeOptions.TOPIC_METRIC_STATS,
                    m -> m.seriesId.getBytes(UTF_8), m -> m.toJson())
            .andElasticsearch(m -> ElasticsearchDocument.of(
                    DailyIndexNames.metricStats(m.windowStart), m.documentId(), m.toJson()));

    public static final Output<DeadLetter> DEAD_LETTERS = Output.kafka(DeadLetter.class, "dead letters", "dlq",
            "dead-letter-kafka-sink", HawkeyeOptions.TOPIC_DLQ, DeadLetter::key, d -> d.toJson());

    /**
     * Alerts of every detector. In Elasticsearch by {@code starts_at}, so that the updates and the resolution of
     * one alert replace the same document; with correlation on, {@link #ANNOTATED_ALERTS} take their place there
     * (same documents, with {@code incident_id}): see {@link #indexed}.
     */
    public static final Output<Alert> ALERTS = Output.kafka(Alert.class, "alerts", "alerts", "alerts-kafka-sink",
                    HawkeyeOptions.TOPIC_ALERTS, a -> a.alertId.getBytes(UTF_8), a -> a.toJson())
            .andElasticsearch(Outputs::alertDocument)
            .partitionedBy(Alert::documentId);

    public static final Output<Alert> ANNOTATED_ALERTS = Output.kafka(Alert.class, "annotated alerts",
                    "annotated-alerts", "annotated-alerts-kafka-sink", HawkeyeOptions.TOPIC_ANNOTATED_ALERTS,
                    a -> a.alertId.getBytes(UTF_8), a -> a.toJson())
            .andElasticsearch(Outputs::alertDocument)
            .partitionedBy(Alert::documentId);

    public static final Output<Incident> INCIDENTS = Output.kafka(Incident.class, "incidents", "incidents",
                    "incidents-kafka-sink", HawkeyeOptions.TOPIC_INCIDENTS, i -> i.incidentId.getBytes(UTF_8),
                    i -> i.toJson())
            .andElasticsearch(i -> ElasticsearchDocument.of("hawkeye-incidents", i.incidentId, i.toJson()))
            .partitionedBy(i -> i.incidentId);

    public static final Output<TopologyEdge> TOPOLOGY = Output.kafka(TopologyEdge.class, "topology", "topology",
                    "topology-kafka-sink", HawkeyeOptions.TOPIC_TOPOLOGY, e -> e.documentId().getBytes(UTF_8),
                    e -> e.toJson())
            .andElasticsearch(e -> ElasticsearchDocument.of("hawkeye-topology", e.documentId(), e.toJson()))
            .partitionedBy(TopologyEdge::documentId);

    public static final Output<CallEdgeStats> CALL_EDGES = Output.kafka(CallEdgeStats.class, "call edges",
                    "call-edges", "call-edges-kafka-sink", HawkeyeOptions.TOPIC_CALL_EDGES,
                    e -> e.seriesId.getBytes(UTF_8), e -> e.toJson())
            .andElasticsearch(e -> ElasticsearchDocument.of(
                    DailyIndexNames.daily("hawkeye-call-edges", e.windowStart), e.documentId(), e.toJson()));

    public static final Output<LoadForecast> FORECASTS = Output.kafka(LoadForecast.class, "forecasts", "forecasts",
                    "forecasts-kafka-sink", HawkeyeOptions.TOPIC_FORECASTS, f -> f.service.getBytes(UTF_8),
                    f -> f.toJson())
            .andElasticsearch(f -> ElasticsearchDocument.of(
                    DailyIndexNames.daily("hawkeye-forecasts", f.generatedAt), f.documentId(), f.toJson()));

    public static final Output<ScalingAction> SCALING_ACTIONS = Output.kafka(ScalingAction.class, "scaling actions",
                    "scaling-actions", "scaling-actions-kafka-sink", HawkeyeOptions.TOPIC_SCALING_ACTIONS,
                    a -> a.service.getBytes(UTF_8), a -> a.toJson())
            .andElasticsearch(a -> ElasticsearchDocument.of(
                    DailyIndexNames.daily("hawkeye-scaling-actions", a.generatedAt), a.actionId, a.toJson()));

    public static final Output<ForecastScore> FORECAST_SCORES = Output.kafka(ForecastScore.class, "forecast scores", "forecast-scores",
            "forecast-scores-kafka-sink", HawkeyeOptions.TOPIC_FORECAST_SCORES, f -> f.service.getBytes(UTF_8),
            f -> f.toJson());

    /** Every row, in the README's order. */
    public static final List<Output<?>> ALL = List.of(WINDOW_STATS, METRIC_STATS, CALL_EDGES, FORECASTS,
            SCALING_ACTIONS, FORECAST_SCORES, ALERTS, ANNOTATED_ALERTS, INCIDENTS, TOPOLOGY, DEAD_LETTERS);

    /**
     * The rows the indexer job writes to Elasticsearch for a job of these {@code capabilities}: those with an
     * index among the outputs the job writes, and of the two alert topics the annotated one when correlation is on
     * (the same documents, with {@code incident_id}), the raw one otherwise.
     */
    public static List<Output<?>> indexed(Set<String> capabilities) {
        List<Output<?>> out = new ArrayList<>(List.of(WINDOW_STATS, METRIC_STATS));
        if (capabilities.contains("call-edges")) out.add(CALL_EDGES);
        if (capabilities.contains("scaling")) out.addAll(List.of(FORECASTS, SCALING_ACTIONS));
        if (capabilities.contains("detection")) {
            if (capabilities.contains("correlation")) out.addAll(List.of(ANNOTATED_ALERTS, INCIDENTS, TOPOLOGY));
            else out.add(ALERTS);
        }
        return out;
    }

    private static ElasticsearchDocument alertDocument(Alert a) {
        return ElasticsearchDocument.of(DailyIndexNames.daily("hawkeye-alerts", a.startsAt), a.documentId(),
                a.toJson());
    }
}
