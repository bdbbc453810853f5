package io.hawkeye.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.alerts.Alert;
import io.hawkeye.correlate.Incident;
import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.testing.KafkaTestUtil;
import io.hawkeye.jobs.testing.SimulatedTelemetry;
import io.hawkeye.jobs.testing.TestJobs;
import io.hawkeye.jobs.testing.TestServices;
import io.hawkeye.stats.WindowStats;
import io.hawkeye.topology.Topology;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Telemetry that pauses for longer than {@code watermark.idleness} (a producer outage, a quiet night, or — as in
 * issue 15 — a simulator that waits for committed output while Elasticsearch is frozen) must not break the event
 * time of the alert correlation. The run of {@link FaultDetectionITCase} (db ×4 slower from minute 12 to 15,
 * 10-second windows; 25 minutes here, so that the incident resolves before the input ends), fed to the production
 * job (unbounded telemetry, the rules topic) in two parts: minutes 0–11, a pause in which every telemetry
 * partition goes idle, then the rest. It must yield the single incident rooted at db, holding every alert,
 * resolved.
 *
 * <p>Before the fix, the threshold-rule operator's watermark was the minimum of its window-statistics input and
 * the rule-update side input, which carries no event time and announced {@code Long.MAX_VALUE}: once every
 * telemetry partition was idle, only the side input counted and the operator's watermark — and with it that of
 * the incident operator downstream — jumped to the end of time for good. Alerts were then still annotated with an
 * incident id (correlated at once, as late), but the event-time timers that publish incidents were due at times
 * already passed and never fired again: {@code hawkeye.incidents} stayed empty for the rest of the run.
 */
class IdleTelemetryITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.miniCluster();

    static final int PARTITIONS = 4;
    static final Instant START = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(5))
            .plus(Duration.ofHours(10));

    @Test
    void aPauseLongerThanTheIdleTimeoutStillYieldsTheIncident() throws Exception {
        String bootstrap = TestServices.kafkaBootstrap();
        String run = "idle-telemetry-it";
        UnaryOperator<String> topics = t -> t + "-" + run;
        FaultDetectionITCase.createTopics(topics, PARTITIONS);
        SimulatedTelemetry sim = SimulatedTelemetry.simulate(
                Topology.parse(FaultDetectionITCase.TOPOLOGY + FaultDetectionITCase.FAULT), FaultDetectionITCase.SEED,
                START, Duration.ofMinutes(25), PARTITIONS);

        Map<String, String> options = FaultDetectionITCase.detectionOptions(bootstrap, run, topics);
        options.put(HawkeyeOptions.MAX_FUTURE_SKEW.key(), "0 ms");
        options.put(HawkeyeOptions.IDLENESS.key(), "2 s");
        options.put(HawkeyeOptions.RESUME_GRACE.key(), "5 s");
        // The production sources: unbounded telemetry and the rules topic (a side input without event time).
        JobClient job = TestJobs.define(options, Duration.ofSeconds(2)).executeAsync(run);
        try {
            TestJobs.awaitRunning(job);
            long pauseAt = START.plus(Duration.ofMinutes(11)).toEpochMilli();
            int split = sim.indexAt(pauseAt);
            try (KafkaProducer<byte[], byte[]> producer = SimulatedTelemetry.producer(bootstrap)) {
                sim.produce(producer, topics.apply("telemetry"), 0, split);
                // The job has windowed the first part (committed up to its last minute), then every partition sits
                // idle for three idle timeouts before the rest arrives.
                awaitCommittedWindow(bootstrap, topics.apply("window-stats"), pauseAt - 30_000);
                Thread.sleep(6_000);
                sim.produce(producer, topics.apply("telemetry"), split, sim.events().size());
            }
            // The incident resolves 5 minutes (quiet period) after the fault's last alert: before minute 25.
            awaitResolvedIncident(bootstrap, topics.apply("incidents"));
        } finally {
            job.cancel().get(1, TimeUnit.MINUTES);
            for (ConsumerRecord<byte[], byte[]> r : KafkaTestUtil.readAll(bootstrap, topics.apply("incidents"))) {
                Incident i = Incident.fromJson(r.value());
                System.out.println("incident " + i.incidentId + " " + i.status + " top=" + i.topCause + " alerts="
                        + i.alertIds);
            }
        }

        Set<String> alertIds = new TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestUtil.readAll(bootstrap, topics.apply("alerts"))) {
            alertIds.add(Alert.fromJson(r.value()).alertId);
        }
        assertThat(alertIds).as("the fault's alerts").contains(
                Alert.fingerprint("db", WindowStats.ALL_ENDPOINTS, "p99_ms", "seasonal"));
        // One incident; alerts that reached the incident operator before a linking alert may have opened one of
        // their own first, published once more as resolved with merged_into when it merged.
        Map<String, Incident> incidents = new LinkedHashMap<>();
        Map<String, Incident> merged = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestUtil.readAll(bootstrap, topics.apply("incidents"))) {
            Incident i = Incident.fromJson(r.value());
            (i.mergedInto == null ? incidents : merged).put(i.incidentId, i);
        }
        merged.keySet().forEach(incidents::remove);
        assertThat(incidents).as("incidents after the pause").hasSize(1);
        Incident incident = incidents.values().iterator().next();
        assertThat(merged.values()).allSatisfy(m -> assertThat(m.mergedInto).isEqualTo(incident.incidentId));
        assertThat(incident.topCause).isEqualTo("db");
        assertThat(incident.alertIds).containsExactlyInAnyOrderElementsOf(alertIds);
        assertThat(incident.status).isEqualTo(Incident.RESOLVED);
        // An alert is annotated on arrival with the incident it joined then, which may be one that merged later;
        // the merge re-annotates its alerts. So every record names the final incident or one merged into it, and
        // the last record of every alert occurrence names the final incident.
        Map<String, String> lastAnnotation = new LinkedHashMap<>();
        java.util.Set<String> finalOrMerged = new java.util.TreeSet<>(merged.keySet());
        finalOrMerged.add(incident.incidentId);
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestUtil.readAll(bootstrap, topics.apply("annotated-alerts"))) {
            Alert a = Alert.fromJson(r.value());
            assertThat(a.incidentId).isIn(finalOrMerged);
            lastAnnotation.put(a.documentId(), a.incidentId);
        }
        assertThat(lastAnnotation).isNotEmpty();
        assertThat(lastAnnotation.values()).allSatisfy(id -> assertThat(id).isEqualTo(incident.incidentId));
    }

    /** Waits (at most 2 minutes) until a resolved incident rooted at db is committed to {@code topic}. */
    static void awaitResolvedIncident(String bootstrap, String topic) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : KafkaTestUtil.readAll(bootstrap, topic)) {
                Incident i = Incident.fromJson(r.value());
                if (Incident.RESOLVED.equals(i.status) && "db".equals(i.topCause)) return;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("no resolved incident rooted at db in " + topic + " within 2 minutes");
    }

    /** Waits until a window starting at or after {@code windowStart} is committed to {@code topic}. */
    static void awaitCommittedWindow(String bootstrap, String topic, long windowStart) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : KafkaTestUtil.readAll(bootstrap, topic)) {
                if (WindowStats.fromJson(r.value()).windowStart >= windowStart) return;
            }
            Thread.sleep(1_000);
        }
        throw new IllegalStateException("no window from " + Instant.ofEpochMilli(windowStart) + " in " + topic);
    }

    /** {@link TestJobs#awaitRunning}; ElasticsearchOutageITCase calls it here. */
    static void awaitRunning(JobClient job) throws Exception {
        TestJobs.awaitRunning(job);
    }
}
