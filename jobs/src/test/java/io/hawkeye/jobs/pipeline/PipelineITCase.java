package io.hawkeye.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.elasticsearch.DailyIndexNames;
import io.hawkeye.jobs.elasticsearch.ElasticsearchConnectionConfig;
import io.hawkeye.jobs.elasticsearch.IndexTemplates;
import io.hawkeye.jobs.testing.ElasticsearchTestUtil;
import io.hawkeye.jobs.testing.ExactStats;
import io.hawkeye.jobs.testing.KafkaTestUtil;
import io.hawkeye.jobs.testing.TestJobs;
import io.hawkeye.jobs.testing.TestServices;
import io.hawkeye.simulator.KafkaSink;
import io.hawkeye.simulator.Simulation;
import io.hawkeye.simulator.TelemetrySink;
import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import io.hawkeye.telemetry.DeadLetter;
import io.hawkeye.telemetry.MetricSample;
import io.hawkeye.telemetry.Span;
import io.hawkeye.telemetry.TelemetryParser;
import io.hawkeye.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The foundation end to end on real services: simulator → real Kafka broker → the job (RocksDB, checkpoints,
 * exactly-once Kafka sinks) → {@code hawkeye.window-stats} read with read_committed, and the indexer job → the
 * documents in a real Elasticsearch node, checked against exact statistics of the same generated events. Bad
 * records go to the dead-letter topic while the job carries on, and a replay leaves the documents unchanged.
 */
class PipelineITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.miniCluster();

    // Three days ago: recent enough for the broker's time-based retention (7 days), and a day no other test
    // writes window statistics for, so the daily indices belong to this test alone.
    static final Instant START = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(3))
            .plus(Duration.ofHours(10));
    static final String INDEX = DailyIndexNames.windowStats(START.toEpochMilli());
    static final String METRIC_INDEX = DailyIndexNames.metricStats(START.toEpochMilli());

    @Test
    void simulatorToKafkaToJobToKafkaAndElasticsearch() throws Exception {
        String bootstrap = TestServices.kafkaBootstrap();
        String es = TestServices.elasticsearchUrl();
        String telemetry = "telemetry-pipeline-it";
        String stats = "window-stats-pipeline-it";
        String metricStats = "metric-stats-pipeline-it";
        String dlq = "dlq-pipeline-it";
        TestServices.createTopic(telemetry, 4);
        TestServices.createTopic(stats, 2);
        TestServices.createTopic(metricStats, 2);
        TestServices.createTopic(dlq, 1);
        IndexTemplates.install(ElasticsearchConnectionConfig.fromEnvironment(List.of(es)),
                Path.of("..", "deploy", "elasticsearch", "templates"));

        // 1. The simulator writes 20 simulated minutes to Kafka; the same records give the exact reference.
        Topology topology = Topology.load(Path.of("..", "deploy", "topologies", "two-tier.yaml"));
        List<String> produced = new ArrayList<>();
        try (TelemetrySink kafka = new KafkaSink(bootstrap, telemetry, Map.of())) {
            new Simulation(topology, 7, START).run(Duration.ofMinutes(20), (key, json, ts) -> {
                produced.add(json);
                kafka.emit(key, json, ts);
            });
        }
        ExactStats exact = new ExactStats(60_000);
        List<MetricSample> metrics = new ArrayList<>();
        TelemetryParser parser = new TelemetryParser(new TelemetryParser.Config(1 << 20, 0));
        for (String json : produced) {
            parser.parse(json.getBytes(StandardCharsets.UTF_8), telemetry, 0, 0, 0, new TelemetryParser.Handler() {
                @Override public void span(Span s) { exact.add(s); }
                @Override public void metric(MetricSample m) { metrics.add(m); }
                @Override public void deadLetter(DeadLetter d) { throw new AssertionError("simulator wrote " + d); }
            });
        }
        assertThat(produced).hasSizeGreaterThan(50_000);

        // 2. Bad records among them.
        List<String> bad = List.of("not json", "{\"type\":\"span\",\"ts\":1,\"service\":\"web\"}",
                "{\"type\":\"span\",\"ts\":1,\"service\":\"web\",\"endpoint\":\"GET /\",\"duration_ms\":-1,"
                        + "\"status\":\"ok\"}",
                "[1,2]", "{\"type\":\"log\",\"ts\":1}");
        KafkaTestUtil.produce(bootstrap, telemetry, bad);

        // 3. The job, bounded to what is in the topic now.
        // Window statistics only: scaling has its own tests.
        Map<String, String> options = TestJobs.boundedJobOptions(bootstrap, "window-stats");
        TestJobs.putWindowStatsTopics(options, telemetry, stats, metricStats, dlq);
        options.put(HawkeyeOptions.ES_HOSTS.key(), es);
        runJob(options, "pipeline-it-1");

        // 4. Window statistics in Kafka: every series and window, counts exact, percentiles within the bound.
        List<WindowStats> results = KafkaTestUtil.readAllKeyed(bootstrap, stats, WindowStats::fromJson,
                w -> w.service + "|" + w.endpoint);
        assertThat(results).hasSize(exact.seriesWindows());
        double worst = 0;
        for (WindowStats w : results) worst = Math.max(worst, exact.check(w));
        assertThat(worst).isLessThanOrEqualTo(0.01);
        assertThat(results.stream().map(w -> w.scope).distinct()).containsExactlyInAnyOrder("endpoint", "service");

        List<MetricStats> ms = KafkaTestUtil.readAll(bootstrap, metricStats).stream()
                .map(r -> MetricStats.fromJson(r.value())).toList();
        assertThat(ms.stream().mapToLong(m -> m.count).sum()).isEqualTo(metrics.size());

        // 5. Dead letters, with reasons and source positions; the job carried on and finished.
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> dead = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestUtil.readAll(bootstrap, dlq)) dead.add(json.readTree(r.value()));
        assertThat(dead).extracting(d -> d.get("reason").asText()).containsExactlyInAnyOrder(
                "not_json", "missing_field", "negative_duration", "not_object", "not_object", "unknown_type");
        assertThat(dead).allSatisfy(d -> {
            assertThat(d.at("/source/topic").asText()).isEqualTo(telemetry);
            assertThat(d.at("/source/offset").asLong()).isGreaterThanOrEqualTo(0);
        });

        // 6. Elasticsearch: one document per series and window, with the same values.
        long docs = ElasticsearchTestUtil.count(es, INDEX);
        assertThat(docs).isEqualTo(results.size());
        assertThat(ElasticsearchTestUtil.count(es, METRIC_INDEX)).isEqualTo(ms.size());
        WindowStats sample = results.get(results.size() / 2);
        JsonNode doc = ElasticsearchTestUtil.request("GET", es + "/" + INDEX + "/_doc/"
                + java.net.URLEncoder.encode(sample.documentId(), StandardCharsets.UTF_8).replace("+", "%20"), null);
        assertThat(doc.at("/_source/p99_ms").asDouble()).isEqualTo(sample.p99Ms);
        assertThat(doc.at("/_source/count").asLong()).isEqualTo(sample.count);

        // 7. Replaying the same input (another consumer group from the earliest offsets) duplicates nothing.
        options.put(HawkeyeOptions.KAFKA_GROUP_ID.key(), "hawkeye-replay");
        runJob(options, "pipeline-it-2");
        assertThat(ElasticsearchTestUtil.count(es, INDEX)).isEqualTo(docs);
        assertThat(KafkaTestUtil.readAll(bootstrap, stats)).hasSize(2 * results.size());
    }

    /** The job, then the indexer job to the end of its output topics. */
    private static void runJob(Map<String, String> options, String name) throws Exception {
        TestJobs.define(options, Duration.ofSeconds(2)).execute(name);
        TestJobs.indexer(options).execute(name + "-indexer");
    }
}
