package io.hawkeye.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawkeye.alerts.Alert;
import io.hawkeye.correlate.Incident;
import io.hawkeye.jobs.HawkeyeJob;
import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.Output;
import io.hawkeye.jobs.Outputs;
import io.hawkeye.jobs.elasticsearch.ElasticsearchConnectionConfig;
import io.hawkeye.jobs.elasticsearch.IndexTemplates;
import io.hawkeye.jobs.index.IndexDocument;
import io.hawkeye.jobs.index.OutputDocuments;
import io.hawkeye.jobs.testing.ElasticsearchTestUtil;
import io.hawkeye.jobs.testing.KafkaTestUtil;
import io.hawkeye.jobs.testing.SimulatedTelemetry;
import io.hawkeye.jobs.testing.TestJobs;
import io.hawkeye.jobs.testing.TestServices;
import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import io.hawkeye.topology.Topology;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An Elasticsearch outage longer than the Kafka transaction timeout, on the real Elasticsearch node frozen with
 * SIGSTOP while the full job (window statistics, detection, correlation) runs on paced telemetry and the indexer
 * job indexes its outputs (issue 15). The fault run of {@link FaultDetectionITCase} (db ×4 slower from minute 12
 * to 15, 10-second windows), 25 simulated minutes fed at one minute per 1.3 s; Elasticsearch is frozen from
 * minute 4 to minute 21 (≈22 s) with {@code kafka.transaction-timeout} 15 s — in which an Elasticsearch sink inside
 * the job stalled every checkpoint and then failed the job. Asserted:
 * <ul>
 *   <li>during the freeze the read_committed outputs keep growing: window statistics, and the fault's alerts and
 *       incident records, which all start inside the freeze;
 *   <li>the outputs equal those of an undisturbed run of the same job over the same telemetry (a bounded replay
 *       into other topics): every window with its exact count, every alert record, the incident — up to minute
 *       24, where the unbounded run's event time ends;
 *   <li>after the thaw Elasticsearch catches up by itself: every document of the indexed topics exactly once, with
 *       the latest Kafka value of its id as its source.
 * </ul>
 * Opt-in ({@code -Dhawkeye.es-outage=true}) until a start-up race of the multivariate detector is fixed: on this
 * 2-core machine it failed in 2 of 15 runs, each time with the six multivariate alerts missing from the live run
 * while windows, metric windows, dead letters and seasonal alerts matched (docs/elasticsearch.md).
 */
@EnabledIfSystemProperty(named = "hawkeye.es-outage", matches = "true")
class ElasticsearchOutageITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4)
                    .build());

    static final int PARTITIONS = 4;
    static final int MINUTES = 25;
    /**
     * Wall time per simulated minute. The freeze lasts 17 of them: {@code -Dhawkeye.es-outage.pace-ms=20000} makes
     * it a 5.7-minute outage (the long variant, ~9 minutes in all).
     */
    static final long PACE_MS = Long.getLong("hawkeye.es-outage.pace-ms", 1_300);
    static final int FREEZE_FROM = 4;           // simulated minutes
    static final int FREEZE_TO = 21;
    // A day no other test writes daily indices for (Kafka's time-based retention keeps a week).
    static final Instant START = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(6))
            .plus(Duration.ofHours(10));
    static final long CUTOFF = START.plus(Duration.ofMinutes(24)).toEpochMilli();
    static final ObjectMapper JSON = new ObjectMapper();

    @AfterAll
    static void thaw() {
        signal("CONT");
    }

    @Test
    void kafkaOutputsKeepCommittingAndElasticsearchCatchesUpAfterTheOutage() throws Exception {
        String bootstrap = TestServices.kafkaBootstrap();
        String es = TestServices.elasticsearchUrl();
        IndexTemplates.install(ElasticsearchConnectionConfig.fromEnvironment(List.of(es)),
                Path.of("..", "deploy", "elasticsearch", "templates"));
        Map<String, String> options = options(bootstrap, es, "es-outage-it");
        SimulatedTelemetry sim = SimulatedTelemetry.simulate(
                Topology.parse(FaultDetectionITCase.TOPOLOGY + FaultDetectionITCase.FAULT), FaultDetectionITCase.SEED,
                START, Duration.ofMinutes(MINUTES), PARTITIONS);

        JobClient job = TestJobs.define(options, Duration.ofSeconds(2)).executeAsync("es-outage-it");
        JobClient indexer = TestJobs.indexerUnbounded(options).executeAsync("es-outage-it-indexer");
        Map<String, Integer> atFreeze = null;
        Map<String, Integer> beforeThaw = null;
        try {
            IdleTelemetryITCase.awaitRunning(job);
            IdleTelemetryITCase.awaitRunning(indexer);
            // Live input goes on once every telemetry partition with data is being read (its offset committed on a
            // checkpoint) after the first 5 s of event time: a reader still without splits is idle, and on a loaded
            // machine the other reader's watermark could otherwise pass the first windows before it reads them.
            String telemetry = options.get(HawkeyeOptions.TOPIC_TELEMETRY.key());
            try (KafkaProducer<byte[], byte[]> producer = SimulatedTelemetry.producer(bootstrap)) {
                sim.produce(producer, telemetry, 0, sim.indexAt(START.toEpochMilli() + 5_000));
            }
            awaitAssigned(bootstrap, options.get(HawkeyeOptions.KAFKA_GROUP_ID.key()), telemetry,
                    sim.endOffsets(telemetry).values().stream().filter(n -> n > 0).count());
            // Paced input, as live telemetry arrives; Elasticsearch frozen through the fault. The outputs are
            // counted on another thread, so that the input never pauses (a pause longer than the idle timeout
            // would test the watermarks, not the outage).
            long t0 = System.currentTimeMillis();
            CompletableFuture<Map<String, Integer>> frozen = null;
            CompletableFuture<Map<String, Integer>> late = null;
            try (KafkaProducer<byte[], byte[]> producer = SimulatedTelemetry.producer(bootstrap)) {
                for (int m = 0; m < MINUTES; m++) {
                    if (m == FREEZE_FROM) {
                        signal("STOP");
                        frozen = CompletableFuture.supplyAsync(() -> committedCounts(bootstrap, options));
                    }
                    if (m == FREEZE_TO - 3) {
                        late = CompletableFuture.supplyAsync(() -> committedCounts(bootstrap, options));
                    }
                    if (m == FREEZE_TO) {
                        atFreeze = frozen.get();
                        beforeThaw = late.get();   // taken in the freeze's last minutes, awaited before the thaw
                        signal("CONT");
                    }
                    // In steps of 5 s of event time: with the long variant's pace a minute in one burst would leave
                    // the partitions silent for longer than the idle timeout between bursts.
                    for (int step = m == 0 ? 1 : 0; step < 12; step++) {
                        long from = START.plus(Duration.ofMinutes(m)).toEpochMilli() + step * 5_000L;
                        sim.produce(producer, options.get(HawkeyeOptions.TOPIC_TELEMETRY.key()), sim.indexAt(from),
                                sim.indexAt(from + 5_000));
                        Thread.sleep(Math.max(0, t0 + m * PACE_MS + (step + 1) * PACE_MS / 12
                                - System.currentTimeMillis()));
                    }
                }
            } finally {
                signal("CONT");
            }
            System.out.println("read_committed records when Elasticsearch froze: " + atFreeze + "; before the thaw: "
                    + beforeThaw);
            // The job never waited for Elasticsearch: its outputs grew through the freeze, the fault's alerts and
            // incident (all after minute 12) included.
            assertThat(beforeThaw.get("window-stats")).isGreaterThan(atFreeze.get("window-stats") + 200);
            assertThat(atFreeze.get("alerts")).isZero();
            assertThat(beforeThaw.get("alerts")).isPositive();
            assertThat(atFreeze.get("incidents")).isZero();
            assertThat(beforeThaw.get("incidents")).isPositive();

            IdleTelemetryITCase.awaitCommittedWindow(bootstrap, options.get(HawkeyeOptions.TOPIC_WINDOW_STATS.key()),
                    CUTOFF - 10_000);
            IdleTelemetryITCase.awaitResolvedIncident(bootstrap, options.get(HawkeyeOptions.TOPIC_INCIDENTS.key()));
            job.cancel().get(1, TimeUnit.MINUTES);

            // Elasticsearch caught up by itself, while the undisturbed reference runs.
            Map<String, String> ref = options(bootstrap, es, "es-outage-it-ref");
            ref.put(HawkeyeOptions.TOPIC_TELEMETRY.key(), options.get(HawkeyeOptions.TOPIC_TELEMETRY.key()));
            ref.put(HawkeyeOptions.KAFKA_BOUNDED.key(), "true");
            TestJobs.define(ref, Duration.ofSeconds(2)).execute("es-outage-it-ref");
            assertSameOutputs(bootstrap, options, ref);
            assertIndexedExactlyOnce(bootstrap, es, options);
        } finally {
            signal("CONT");
            for (JobClient j : List.of(job, indexer)) {
                try {
                    j.cancel().get(1, TimeUnit.MINUTES);
                } catch (Exception alreadyDone) {
                    // cancelled above or finished
                }
            }
        }
    }

    /** Waits (at most a minute) until the consumer group has committed offsets for {@code partitions} of them. */
    static void awaitAssigned(String bootstrap, String group, String topic, long partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                long assigned = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS).keySet().stream().filter(tp -> tp.topic().equals(topic)).count();
                if (assigned >= partitions) return;
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the telemetry partitions were not all read within a minute");
    }

    static Map<String, String> options(String bootstrap, String es, String run) {
        Map<String, String> o = TestJobs.jobOptions(bootstrap, "window-stats,detection,correlation");
        o.put(HawkeyeOptions.KAFKA_GROUP_ID.key(), run);
        for (Output<?> out : Outputs.ALL) {
            String topic = out.name() + "-" + run;
            o.put(out.topic().key(), topic);
            TestServices.createTopic(topic, 2);
        }
        o.put(HawkeyeOptions.TOPIC_TELEMETRY.key(), "telemetry-" + run);
        TestServices.createTopic("telemetry-" + run, PARTITIONS);
        o.put(HawkeyeOptions.TOPIC_RULES.key(), "rules-" + run);
        TestServices.createTopic("rules-" + run, 1);
        o.put(HawkeyeOptions.ES_HOSTS.key(), es);
        // Shorter than the freeze: a job whose checkpoints waited for Elasticsearch would lose its transactions.
        o.put(HawkeyeOptions.KAFKA_TRANSACTION_TIMEOUT.key(), "15 s");
        o.put(HawkeyeOptions.MAX_FUTURE_SKEW.key(), "0 ms");
        // Long enough that no partition is idle while the sources start on a loaded machine (its first records
        // would then be late); only the partitions without data go idle.
        o.put(HawkeyeOptions.IDLENESS.key(), "10 s");
        o.put(HawkeyeOptions.RESUME_GRACE.key(), "5 s");
        o.put(HawkeyeOptions.WINDOW_SIZE.key(), "10s");
        o.put(HawkeyeOptions.DETECT_MULTIVARIATE_MIN_HISTORY.key(), "30");
        return o;
    }

    /** read_committed record counts of the window statistics, alerts and incidents. */
    static Map<String, Integer> committedCounts(String bootstrap, Map<String, String> options) {
        Map<String, Integer> n = new LinkedHashMap<>();
        n.put("window-stats", KafkaTestUtil.readAll(bootstrap, options.get(HawkeyeOptions.TOPIC_WINDOW_STATS.key()))
                .size());
        n.put("alerts", KafkaTestUtil.readAll(bootstrap, options.get(HawkeyeOptions.TOPIC_ALERTS.key())).size());
        n.put("incidents", KafkaTestUtil.readAll(bootstrap, options.get(HawkeyeOptions.TOPIC_INCIDENTS.key()))
                .size());
        n.put("annotated-alerts", KafkaTestUtil.readAll(bootstrap,
                options.get(HawkeyeOptions.TOPIC_ANNOTATED_ALERTS.key())).size());
        return n;
    }

    /** The outputs of the run through the outage equal the reference's, up to the cutoff. */
    static void assertSameOutputs(String bootstrap, Map<String, String> run, Map<String, String> ref) {
        Function<Map<String, String>, Map<String, String>> windows = o -> {
            Map<String, String> m = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> r : KafkaTestUtil.readAll(bootstrap,
                    o.get(HawkeyeOptions.TOPIC_WINDOW_STATS.key()))) {
                WindowStats w = WindowStats.fromJson(r.value());
                if (w.windowStart >= CUTOFF) continue;
                String was = m.put(w.documentId(), w.count + " " + w.errors + " " + w.p50Ms + " " + w.p99Ms);
                assertThat(was).as("window emitted once: " + w.documentId()).isNull();
            }
            return m;
        };
        Map<String, String> expectedWindows = windows.apply(ref);
        Map<String, String> actualWindows = windows.apply(run);
        assertThat(expectedWindows).hasSizeGreaterThan(800);
        List<String> diff = new ArrayList<>();
        for (String k : expectedWindows.keySet()) {
            if (!expectedWindows.get(k).equals(actualWindows.get(k))) {
                diff.add(k + ": expected " + expectedWindows.get(k) + ", was " + actualWindows.get(k));
            }
        }
        for (String k : actualWindows.keySet()) if (!expectedWindows.containsKey(k)) diff.add(k + ": unexpected");
        assertThat(diff).as("windows that differ from the undisturbed run").isEmpty();

        // Metric windows (the detectors' other input): every window with its revision's values. A metric window
        // may be revised by a late sample within the allowed lateness, so the last revision of each is compared.
        Function<Map<String, String>, Map<String, String>> metricWindows = o -> {
            Map<String, String> m = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> r : KafkaTestUtil.readAll(bootstrap,
                    o.get(HawkeyeOptions.TOPIC_METRIC_STATS.key()))) {
                MetricStats w = MetricStats.fromJson(r.value());
                if (w.windowStart < CUTOFF) m.put(w.documentId(), w.count + " " + w.mean + " " + w.max);
            }
            return m;
        };
        Map<String, String> expectedMetrics = metricWindows.apply(ref);
        assertThat(expectedMetrics).hasSizeGreaterThan(100);
        assertThat(metricWindows.apply(run)).as("metric windows").isEqualTo(expectedMetrics);
        // Nothing dead-lettered (late or malformed) in either run.
        for (Map<String, String> o : List.of(ref, run)) {
            assertThat(KafkaTestUtil.readAll(bootstrap, o.get(HawkeyeOptions.TOPIC_DLQ.key())))
                    .as("dead letters of " + o.get(HawkeyeOptions.KAFKA_GROUP_ID.key()))
                    .extracting(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
        }

        // Alerts: every record. Annotated alerts: every detector record with its incident, and caused_by as of
        // each alert's last record. On the way there caused_by follows the incident's ranking as of when a record
        // was correlated, and a ranking change re-emits the member's latest record with the new caused_by: which
        // record that is depends on how the alert and graph inputs interleave (a replay reads them at another
        // pace), so the annotated records are compared as a set.
        for (String topic : List.of(HawkeyeOptions.TOPIC_ALERTS.key(), HawkeyeOptions.TOPIC_ANNOTATED_ALERTS.key())) {
            boolean annotated = topic.equals(HawkeyeOptions.TOPIC_ANNOTATED_ALERTS.key());
            Function<Map<String, String>, List<String>> alerts = o -> {
                List<String> l = new ArrayList<>();
                Map<String, Alert> last = new TreeMap<>();
                for (ConsumerRecord<byte[], byte[]> r : KafkaTestUtil.readAll(bootstrap, o.get(topic))) {
                    Alert a = Alert.fromJson(r.value());
                    if (a.windowStart >= CUTOFF) continue;
                    l.add(a.alertId + " " + a.status + " " + a.startsAt + " " + a.endsAt + " " + a.windowStart + " "
                            + a.incidentId);
                    last.put(a.alertId, a);   // one partition per alert: in order
                }
                last.values().forEach(a -> l.add("last " + a.alertId + " " + a.status + " caused_by " + a.causedBy
                        + " (" + a.detector + " " + a.service + " " + a.endpoint + " " + a.signal + ")"));
                return annotated ? new ArrayList<>(new java.util.TreeSet<>(l)) : l.stream().sorted().toList();
            };
            List<String> expected = alerts.apply(ref);
            assertThat(expected).as(topic).isNotEmpty();
            assertThat(alerts.apply(run)).as(topic).isEqualTo(expected);
        }
        Function<Map<String, String>, Map<String, String>> incidents = o -> {
            Map<String, String> m = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> r : KafkaTestUtil.readAll(bootstrap,
                    o.get(HawkeyeOptions.TOPIC_INCIDENTS.key()))) {
                Incident i = Incident.fromJson(r.value());
                if (i.updatedAt < CUTOFF) m.put(i.incidentId, i.status + " " + i.topCause + " " + i.services + " "
                        + i.alertIds);
            }
            return m;
        };
        Map<String, String> expectedIncidents = incidents.apply(ref);
        System.out.println("incidents: " + expectedIncidents);
        assertThat(expectedIncidents).hasSize(1);
        assertThat(incidents.apply(run)).isEqualTo(expectedIncidents);
    }

    /**
     * Every document of the indexed topics, once: for each index, the ids the topics' committed records map to,
     * each with the latest value of its id as its source. The daily indices are this test's alone (count checked);
     * {@code hawkeye-incidents} and {@code hawkeye-topology} are shared, so there only this run's ids are checked.
     */
    static void assertIndexedExactlyOnce(String bootstrap, String es, Map<String, String> options)
            throws Exception {
        List<Output<?>> rows = Outputs.indexed(HawkeyeJob.capabilities(Configuration.fromMap(options)));
        List<String> topics = rows.stream().map(o -> options.get(o.topic().key())).toList();
        OutputDocuments documents = new OutputDocuments(rows, topics);
        Map<String, Map<String, JsonNode>> expected = new TreeMap<>();
        for (String topic : topics) {
            for (ConsumerRecord<byte[], byte[]> r : KafkaTestUtil.readAll(bootstrap, topic)) {
                IndexDocument d = documents.toDocument(topic, r.value());
                assertThat(d).as("a document of " + topic).isNotNull();
                expected.computeIfAbsent(d.index, k -> new TreeMap<>()).put(d.id, JSON.readTree(d.source));
            }
        }
        assertThat(expected.keySet()).contains("hawkeye-incidents", "hawkeye-topology");
        long deadline = System.currentTimeMillis() + 90_000;
        Map<String, Map<String, JsonNode>> actual = new TreeMap<>();
        while (true) {
            actual.clear();
            for (String index : expected.keySet()) actual.put(index, search(es, index, expected.get(index)));
            if (actual.equals(expected) || System.currentTimeMillis() > deadline) break;
            Thread.sleep(1_000);
        }
        for (String index : expected.keySet()) {
            assertThat(actual.get(index)).as(index).isEqualTo(expected.get(index));
        }
    }

    /** The documents of {@code index}: all of a daily index; of a shared one, those with the given ids. */
    static Map<String, JsonNode> search(String es, String index, Map<String, JsonNode> ids) throws IOException {
        boolean shared = index.equals("hawkeye-incidents") || index.equals("hawkeye-topology");
        try {
            ElasticsearchTestUtil.request("POST", es + "/" + index + "/_refresh", null);
        } catch (IllegalStateException noIndexYet) {
            return Map.of();
        }
        String query = shared ? "{\"size\":10000,\"query\":{\"ids\":{\"values\":" + JSON.writeValueAsString(
                ids.keySet()) + "}}}" : "{\"size\":10000,\"query\":{\"match_all\":{}}}";
        Map<String, JsonNode> out = new TreeMap<>();
        JsonNode hits = ElasticsearchTestUtil.request("POST", es + "/" + index + "/_search", query).at("/hits/hits");
        for (JsonNode h : hits) out.put(h.get("_id").asText(), h.get("_source"));
        return out;
    }

    static void signal(String sig) {
        try {
            new ProcessBuilder("kill", "-" + sig, String.valueOf(TestServices.elasticsearchPid())).inheritIO().start()
                    .waitFor();
        } catch (Exception e) {
            throw new IllegalStateException("kill -" + sig, e);
        }
    }
}
