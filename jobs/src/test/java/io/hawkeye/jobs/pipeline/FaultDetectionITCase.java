package io.hawkeye.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawkeye.alerts.Alert;
import io.hawkeye.correlate.Incident;
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
import io.hawkeye.stats.WindowStats;
import io.hawkeye.topology.Topology;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Detection and correlation end to end on real services (issues 4 and 6): a simulated shared database slows down
 * (×4 service time from minute 12 to 15 of a 20-minute run with 10-second windows; the detectors leave LEARNING
 * after 30 windows = 5 minutes). The full job (window statistics, detection, correlation) reads the simulator's
 * telemetry from the real Kafka broker; the test reads its outputs with read_committed and from the real
 * Elasticsearch node:
 * <ul>
 *   <li>window statistics: db's p99 is several times its normal value during the fault;</li>
 *   <li>alerts: a seasonal latency alert on db and on both of its callers, each firing once (starting inside the
 *       fault) and resolving once after it; no alert on anything else, nothing before the fault;</li>
 *   <li>the same alerts in {@code hawkeye-alerts-*}, final status resolved;</li>
 *   <li>one incident containing them, top root-cause candidate db, the callers' alerts {@code caused_by = db} —
 *       on the dependency graph learned from the spans (no topology file), at parallelism 2;</li>
 *   <li>a fault-free control run (same topology and seed) yields no alert and no incident.</li>
 * </ul>
 */
class FaultDetectionITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.miniCluster();

    static final String TOPOLOGY = """
            name: shared-db
            metrics_interval: 10s
            services:
              web:
                replicas: 2
                service_time: {distribution: lognormal, median_ms: 3, sigma: 0.3}
                endpoints:
                  GET /:
                    calls:
                      - {service: db, endpoint: SELECT}
              api:
                replicas: 2
                service_time: {distribution: lognormal, median_ms: 4, sigma: 0.3}
                endpoints:
                  GET /items:
                    calls:
                      - {service: db, endpoint: SELECT, count: 2}
              db:
                replicas: 4
                service_time: {distribution: exponential, mean_ms: 5}
                endpoints:
                  SELECT: {}
            traffic:
              - {service: web, endpoint: GET /, rps: 30, noise: 0.05}
              - {service: api, endpoint: GET /items, rps: 20, noise: 0.05}
            """;
    static final String FAULT = """
            faults:
              - {type: latency, service: db, start: 12m, duration: 3m, multiplier: 4}
            """;
    static final long SEED = 11;
    static final Duration RUN = Duration.ofMinutes(20);
    // Recent (Kafka's time-based retention) and days no other test writes alerts for: each run has its own
    // daily alerts index.
    static final Instant DAY = Instant.now().truncatedTo(ChronoUnit.DAYS);
    static final Instant FAULT_START = DAY.minus(Duration.ofDays(2)).plus(Duration.ofHours(10));
    static final Instant CONTROL_START = DAY.minus(Duration.ofDays(4)).plus(Duration.ofHours(10));

    @Test
    void dbLatencyFaultYieldsAlertsAndOneIncidentRootedAtDb() throws Exception {
        Instant faultFrom = FAULT_START.plus(Duration.ofMinutes(12));
        Instant faultTo = FAULT_START.plus(Duration.ofMinutes(15));
        Run run = run("fault", Topology.parse(TOPOLOGY + FAULT), FAULT_START);

        // Window statistics: the fault is visible in db's p99.
        Map<Long, Double> dbP99 = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestUtil.readAll(run.bootstrap, run.topic("window-stats"))) {
            WindowStats w = WindowStats.fromJson(r.value());
            if (w.service.equals("db") && w.scope.equals(WindowStats.SCOPE_SERVICE)) dbP99.put(w.windowStart, w.p99Ms);
        }
        double normal = median(dbP99.entrySet().stream().filter(e -> e.getKey() < faultFrom.toEpochMilli())
                .map(Map.Entry::getValue).toList());
        double during = median(dbP99.entrySet().stream().filter(e -> e.getKey() >= faultFrom.toEpochMilli()
                && e.getKey() < faultTo.toEpochMilli()).map(Map.Entry::getValue).toList());
        assertThat(dbP99).hasSize(120);
        assertThat(during).isGreaterThan(3 * normal);

        // Alerts (read_committed): every record, grouped by alert id.
        List<Alert> records = run.alerts("alerts");
        Map<String, List<Alert>> byId = records.stream()
                .collect(Collectors.groupingBy(a -> a.alertId, LinkedHashMap::new, Collectors.toList()));
        System.out.println("alerts of the fault run:");
        records.forEach(a -> System.out.println("  " + describe(a)));

        // The essential ones: db's latency and its two callers' latency.
        for (String service : List.of("db", "web", "api")) {
            assertThat(byId.keySet()).as("p99 alert on " + service)
                    .contains(Alert.fingerprint(service, WindowStats.ALL_ENDPOINTS, "p99_ms", "seasonal"));
        }
        // Exactly these (seeded, hence deterministic): latency of db and of both callers, on the endpoint and the
        // service rollup, and db's CPU. No traffic or error alert, nothing on queue depth (see below).
        Set<String> expected = new java.util.TreeSet<>();
        for (String[] s : new String[][] {{"db", "SELECT"}, {"web", "GET /"}, {"api", "GET /items"}}) {
            for (String endpoint : List.of(s[1], WindowStats.ALL_ENDPOINTS)) {
                for (String signal : List.of("p50_ms", "p99_ms")) {
                    expected.add(Alert.fingerprint(s[0], endpoint, signal, "seasonal"));
                }
            }
        }
        expected.add(Alert.fingerprint("db", WindowStats.ALL_ENDPOINTS, "cpu_utilization", "seasonal"));
        // The multivariate detectors of each affected service (isolation forest and relationship break).
        for (String service : List.of("db", "web", "api")) {
            for (String detector : List.of("iforest", "relationship")) {
                expected.add(Alert.fingerprint(service, WindowStats.ALL_ENDPOINTS, "multivariate", detector));
            }
        }
        assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        // Every alert: a known service, fires once and resolves once, starts inside the fault and ends after it
        // started; nothing before the fault.
        for (List<Alert> history : byId.values()) {
            Alert first = history.get(0);
            Alert last = history.get(history.size() - 1);
            assertThat(Set.of("db", "web", "api")).contains(first.service);
            // Fires once (one starts_at; the firing records after the first are updates), resolves once, last.
            assertThat(first.status).isEqualTo(Alert.FIRING);
            assertThat(history.subList(0, history.size() - 1)).allSatisfy(a -> assertThat(a.status)
                    .isEqualTo(Alert.FIRING));
            assertThat(last.status).as("resolved: " + describe(last)).isEqualTo(Alert.RESOLVED);
            assertThat(history.stream().filter(a -> a.status.equals(Alert.RESOLVED))).hasSize(1);
            assertThat(history.stream().map(a -> a.startsAt).distinct()).hasSize(1);
            assertThat(Instant.ofEpochMilli(first.startsAt)).as(describe(first))
                    .isBetween(faultFrom, faultTo.minusMillis(1));
            assertThat(Instant.ofEpochMilli(last.endsAt)).isAfter(faultFrom)
                    .isBefore(faultTo.plus(Duration.ofMinutes(2)));
        }
        // Latency signals only (a slower database is not a traffic drop or an error burst).
        assertThat(byId.values().stream().map(h -> h.get(0).signal).collect(Collectors.toSet()))
                .isSubsetOf("p50_ms", "p99_ms", "cpu_utilization", "queue_depth", "multivariate");

        // Elasticsearch: the same alerts, final status resolved, annotated with their incident.
        String index = DailyIndexNames.daily("hawkeye-alerts", FAULT_START.toEpochMilli());
        assertThat(ElasticsearchTestUtil.count(run.es, index)).isEqualTo(byId.size());
        for (List<Alert> history : byId.values()) {
            Alert last = history.get(history.size() - 1);
            JsonNode doc = ElasticsearchTestUtil.request("GET", run.es + "/" + index + "/_doc/"
                    + URLEncoder.encode(last.documentId(), StandardCharsets.UTF_8).replace("+", "%20"), null);
            assertThat(doc.at("/found").asBoolean()).as(last.documentId()).isTrue();
            assertThat(doc.at("/_source/status").asText()).isEqualTo(Alert.RESOLVED);
            assertThat(doc.at("/_source/alert_id").asText()).isEqualTo(last.alertId);
            assertThat(doc.at("/_source/incident_id").asText()).isNotEmpty();
        }

        // Incidents: one, containing every alert, top cause db, resolved at the end.
        Map<String, Incident> incidents = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestUtil.readAll(run.bootstrap, run.topic("incidents"))) {
            Incident i = Incident.fromJson(r.value());
            incidents.put(i.incidentId, i);
        }
        incidents.values().forEach(i -> System.out.println("incident " + i.incidentId + " " + i.status + " top="
                + i.topCause + " alerts=" + i.alertIds + " causes=" + i.rootCauses));
        assertThat(incidents).hasSize(1);
        Incident incident = incidents.values().iterator().next();
        assertThat(incident.topCause).isEqualTo("db");
        assertThat(incident.rootCauses.get(0).service).isEqualTo("db");
        assertThat(incident.alertIds).containsExactlyInAnyOrderElementsOf(byId.keySet());
        assertThat(incident.services).containsExactlyInAnyOrder("db", "web", "api");
        assertThat(incident.status).isEqualTo(Incident.RESOLVED);

        // Annotated alerts: every alert carries the incident; the callers' are symptoms of db.
        Map<String, Alert> annotated = new HashMap<>();
        for (Alert a : run.alerts("annotated-alerts")) annotated.put(a.alertId, a);
        assertThat(annotated.keySet()).containsExactlyInAnyOrderElementsOf(byId.keySet());
        for (Alert a : annotated.values()) {
            assertThat(a.incidentId).isEqualTo(incident.incidentId);
            assertThat(a.causedBy).as(describe(a)).isEqualTo(a.service.equals("db") ? null : "db");
        }
    }

    @Test
    void faultFreeControlRunYieldsNoAlertsAndNoIncidents() throws Exception {
        Run run = run("control", Topology.parse(TOPOLOGY), CONTROL_START);
        List<Alert> alerts = run.alerts("alerts");
        alerts.forEach(a -> System.out.println("control alert: " + describe(a)));
        assertThat(alerts).isEmpty();
        assertThat(KafkaTestUtil.readAll(run.bootstrap, run.topic("incidents"))).isEmpty();
        // The run did produce window statistics (so "no alerts" is not "no data").
        assertThat(KafkaTestUtil.readAll(run.bootstrap, run.topic("window-stats"))).hasSizeGreaterThan(500);
        String index = DailyIndexNames.daily("hawkeye-alerts", CONTROL_START.toEpochMilli());
        assertThat(ElasticsearchTestUtil.count(run.es, index + "*")).isZero(); // the pattern: no index is fine
    }

    /** One simulator run into its own telemetry topic and one bounded run of the full job into its own topics. */
    private static Run run(String name, Topology topology, Instant start) throws Exception {
        Run run = new Run(name, TestServices.kafkaBootstrap(), TestServices.elasticsearchUrl());
        createTopics(run::topic, 4);
        IndexTemplates.install(ElasticsearchConnectionConfig.fromEnvironment(List.of(run.es)),
                Path.of("..", "deploy", "elasticsearch", "templates"));
        try (TelemetrySink kafka = new KafkaSink(run.bootstrap, run.topic("telemetry"), Map.of())) {
            new Simulation(topology, SEED, start).run(RUN, kafka);
        }

        Map<String, String> options = detectionOptions(run.bootstrap, "fault-detection-" + name, run::topic);
        options.put(HawkeyeOptions.KAFKA_BOUNDED.key(), "true");
        options.put(HawkeyeOptions.ES_HOSTS.key(), run.es);
        options.put(HawkeyeOptions.IDLENESS.key(), "0");
        // No topology file: the incident operator groups on the graph learned from the spans only. In this fast
        // bounded replay the alerts can reach it before the edges learned from the same windows; it aligns the two
        // inputs on event time (docs/correlation.md), so the fault still yields one incident.

        TestJobs.define(options, Duration.ofSeconds(2)).execute("fault-detection-it-" + name);
        TestJobs.indexer(options).execute("fault-detection-it-" + name + "-indexer");
        return run;
    }

    /** Creates the topics of the full job ({@link TestJobs#DETECTION_TOPICS}) named by {@code topic}. */
    static void createTopics(UnaryOperator<String> topic, int telemetryPartitions) {
        for (String t : TestJobs.DETECTION_TOPICS) {
            TestServices.createTopic(topic.apply(t), t.equals("telemetry") ? telemetryPartitions : 2);
        }
    }

    /**
     * The options of the full job (window statistics, detection, correlation) on the topics named by {@code topic},
     * reading them from the earliest offsets as consumer group {@code groupId}, with 10-second windows.
     */
    static Map<String, String> detectionOptions(String bootstrap, String groupId, UnaryOperator<String> topic) {
        Map<String, String> options = TestJobs.topicOptions(topic, TestJobs.DETECTION_TOPICS);
        options.put(HawkeyeOptions.KAFKA_BOOTSTRAP.key(), bootstrap);
        options.put(HawkeyeOptions.KAFKA_STARTING_OFFSETS.key(), "earliest");
        options.put(HawkeyeOptions.KAFKA_GROUP_ID.key(), groupId);
        options.put(HawkeyeOptions.WINDOW_SIZE.key(), "10s");
        // 20 minutes of 10-second windows: the multivariate detectors learn from the 30 windows after their features'
        // seasonal baselines have learnt for 30 (default: a day), so they score from minute 10, before the fault.
        options.put(HawkeyeOptions.DETECT_MULTIVARIATE_MIN_HISTORY.key(), "30");
        options.put(HawkeyeOptions.CAPABILITIES.key(), "window-stats,detection,correlation");
        return options;
    }

    private record Run(String name, String bootstrap, String es) {
        String topic(String kind) {
            return kind + "-fault-detection-it-" + name;
        }

        List<Alert> alerts(String kind) {
            List<Alert> out = KafkaTestUtil.readAllKeyed(bootstrap, topic(kind), Alert::fromJson, a -> a.alertId);
            // Kafka orders per partition (alert id); order each alert's history by its window.
            out.sort(java.util.Comparator.comparingLong((Alert a) -> a.windowStart)
                    .thenComparing(a -> a.status.equals(Alert.RESOLVED)));
            return out;
        }
    }

    private static String describe(Alert a) {
        return a.status + " " + a.detector + " " + a.service + "/" + a.endpoint + "/" + a.signal + " starts="
                + Instant.ofEpochMilli(a.startsAt) + " window=" + Instant.ofEpochMilli(a.windowStart)
                + (a.endsAt > 0 ? " ends=" + Instant.ofEpochMilli(a.endsAt) : "") + " value=" + a.value
                + " expected=" + a.expected + " score=" + a.score + " caused_by=" + a.causedBy;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
