package io.hawkeye.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.elasticsearch.DailyIndexNames;
import io.hawkeye.jobs.elasticsearch.ElasticsearchConnectionConfig;
import io.hawkeye.jobs.elasticsearch.IndexTemplates;
import io.hawkeye.jobs.testing.ElasticsearchTestUtil;
import io.hawkeye.jobs.testing.KafkaTestUtil;
import io.hawkeye.jobs.testing.TestJobs;
import io.hawkeye.jobs.testing.TestServices;
import io.hawkeye.simulator.KafkaSink;
import io.hawkeye.simulator.Simulation;
import io.hawkeye.simulator.TelemetrySink;
import io.hawkeye.stats.CallEdgeStats;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Capability call-edges end to end on real services: the simulator with client spans and a network delay in front
 * of db → real Kafka → the job → {@code hawkeye.call-edges} read with read_committed, checked per edge and window
 * against the exact pairs of the same records; the indexer → one Elasticsearch document per edge and window, and a
 * replay duplicates none. A span with an unknown kind is dead-lettered with its reason.
 */
class CallEdgesITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.miniCluster();

    // Four days ago: within the broker's retention, and a day whose call-edge index belongs to this test alone.
    static final Instant START = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(4))
            .plus(Duration.ofHours(10));
    static final long WINDOW = 60_000;

    @Test
    void clientSpansThroughKafkaBecomeExactPerEdgeStatisticsInKafkaAndElasticsearch() throws Exception {
        String bootstrap = TestServices.kafkaBootstrap();
        String es = TestServices.elasticsearchUrl();
        String telemetry = "telemetry-call-edges-it";
        String edges = "call-edges-it";
        String dlq = "dlq-call-edges-it";
        TestServices.createTopic(telemetry, 4);
        for (String t : List.of(edges, dlq, "window-stats-call-edges-it", "metric-stats-call-edges-it")) {
            TestServices.createTopic(t, 1);
        }
        IndexTemplates.install(ElasticsearchConnectionConfig.fromEnvironment(List.of(es)),
                Path.of("..", "deploy", "elasticsearch", "templates"));

        // 1. Ten simulated minutes of web -> api -> db with client spans; calls into db 20 ms longer from minute 4.
        Topology topology = Topology.load(Path.of("..", "deploy", "topologies", "two-tier.yaml"))
                .withFaults(List.of(new Topology.Fault(Topology.FaultType.NETWORK_DELAY, "db", null,
                        Duration.ofMinutes(4), Duration.ofMinutes(4), 20, 1, 0, 0, 1)));
        List<String> produced = new ArrayList<>();
        try (TelemetrySink kafka = new KafkaSink(bootstrap, telemetry, Map.of())) {
            Simulation sim = new Simulation(topology, 3, START);
            sim.setClientSpans(true);
            sim.run(Duration.ofMinutes(10), (key, json, ts) -> {
                produced.add(json);
                kafka.emit(key, json, ts);
            });
        }
        KafkaTestUtil.produce(bootstrap, telemetry, List.of("{\"type\":\"span\",\"kind\":\"sideways\",\"ts\":"
                + START.toEpochMilli() + ",\"service\":\"web\",\"endpoint\":\"GET /\",\"duration_ms\":1,"
                + "\"status\":\"ok\"}"));

        // The exact reference: client spans by span_id, their callee spans by parent_id; a pair belongs to the
        // window of the later of the two start times.
        Map<String, Span> clients = new HashMap<>();
        List<Span> servers = new ArrayList<>();
        TelemetryParser parser = new TelemetryParser(new TelemetryParser.Config(1 << 20, 0));
        for (String json : produced) {
            parser.parse(json.getBytes(StandardCharsets.UTF_8), telemetry, 0, 0, 0, new TelemetryParser.Handler() {
                @Override public void span(Span s) {
                    if (s.isCall()) clients.put(s.spanId, s);
                    else if (s.parentId != null) servers.add(s);
                }
                @Override public void metric(MetricSample m) {}
                @Override public void deadLetter(DeadLetter d) { throw new AssertionError("simulator wrote " + d); }
            });
        }
        Map<String, List<double[]>> exact = new TreeMap<>();   // caller|callee|window -> {gap, client ms, error}
        for (Span s : servers) {
            Span c = clients.get(s.parentId);
            assertThat(c).as("the client span of " + s).isNotNull();
            long window = Math.max(c.ts, s.ts) / WINDOW * WINDOW;
            exact.computeIfAbsent(c.service + "|" + s.service + "|" + window, k -> new ArrayList<>())
                    .add(new double[] {Math.max(0, c.durationMs - s.durationMs), c.durationMs, c.error ? 1 : 0});
        }
        assertThat(clients).hasSizeGreaterThan(20_000);

        // 2. The job with call-edges, bounded to what is in the topic now; then the indexer.
        Map<String, String> options = TestJobs.boundedJobOptions(bootstrap, "window-stats,call-edges");
        TestJobs.putWindowStatsTopics(options, telemetry, "window-stats-call-edges-it", "metric-stats-call-edges-it",
                dlq);
        options.put(HawkeyeOptions.TOPIC_CALL_EDGES.key(), edges);
        options.put(HawkeyeOptions.ES_HOSTS.key(), es);
        runJob(options, "call-edges-it-1");

        // 3. Every edge and window, counts exact, gap and client percentiles within the sketch's 1 %.
        List<CallEdgeStats> results = KafkaTestUtil.readAllKeyed(bootstrap, edges, CallEdgeStats::fromJson,
                e -> e.caller + "|" + e.callee);
        assertThat(results).hasSize(exact.size());
        for (CallEdgeStats e : results) {
            List<double[]> ref = exact.get(e.caller + "|" + e.callee + "|" + e.windowStart);
            assertThat(ref).as(e.seriesId + " " + e.windowStart).isNotNull();
            assertThat(e.calls).isEqualTo(ref.size());
            assertThat(e.matched).isEqualTo(ref.size());
            assertThat(e.errors).isEqualTo(ref.stream().filter(x -> x[2] > 0).count());
            assertThat(e.gapP99Ms).isCloseTo(quantile(ref, 0, 0.99), within(0.01 * quantile(ref, 0, 0.99) + 1e-9));
            assertThat(e.clientP50Ms).isCloseTo(quantile(ref, 1, 0.5), within(0.01 * quantile(ref, 1, 0.5)));
        }
        // The delay shows where it was injected and nowhere else.
        long fault = START.toEpochMilli() + Duration.ofMinutes(4).toMillis();
        assertThat(results).filteredOn(e -> e.callee.equals("db") && e.windowStart >= fault
                && e.windowStart + WINDOW <= fault + Duration.ofMinutes(4).toMillis())
                .isNotEmpty().allSatisfy(e -> assertThat(e.gapP50Ms).isCloseTo(20, within(0.2)));
        assertThat(results).filteredOn(e -> e.callee.equals("api")).allSatisfy(e -> assertThat(e.gapP99Ms)
                .isLessThan(0.01));

        // 4. The bad record: dead-lettered with its reason; the job went on.
        List<String> reasons = KafkaTestUtil.readAll(bootstrap, dlq).stream()
                .map(r -> readReason(r.value())).toList();
        assertThat(reasons).containsExactly("invalid_kind");

        // 5. Elasticsearch: one document per edge and window; a replay (another group) duplicates nothing there.
        String index = DailyIndexNames.daily("hawkeye-call-edges", START.toEpochMilli());
        assertThat(ElasticsearchTestUtil.count(es, index)).isEqualTo(results.size());
        options.put(HawkeyeOptions.KAFKA_GROUP_ID.key(), "hawkeye-call-edges-replay");
        runJob(options, "call-edges-it-2");
        assertThat(ElasticsearchTestUtil.count(es, index)).isEqualTo(results.size());
        assertThat(KafkaTestUtil.readAll(bootstrap, edges)).hasSize(2 * results.size());
    }

    /** The value at rank floor(q·(n − 1)) of column {@code col}: the rank DDSketch reports. */
    private static double quantile(List<double[]> rows, int col, double q) {
        double[] v = rows.stream().mapToDouble(r -> r[col]).sorted().toArray();
        return v[(int) Math.floor(q * (v.length - 1))];
    }

    private static String readReason(byte[] json) {
        try {
            return new ObjectMapper().readTree(json).get("reason").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void runJob(Map<String, String> options, String name) throws Exception {
        TestJobs.define(options, Duration.ofSeconds(2)).execute(name);
        TestJobs.indexer(options).execute(name + "-indexer");
    }
}
