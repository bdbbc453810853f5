package io.hawkeye.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.testing.ExactStats;
import io.hawkeye.jobs.testing.KafkaTestUtil;
import io.hawkeye.jobs.testing.TestJobs;
import io.hawkeye.jobs.testing.TestServices;
import io.hawkeye.simulator.Simulation;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly-once through a failure: the job (RocksDB, 1 s checkpoints, transactional Kafka sinks) reads telemetry
 * from a real Kafka broker; once it has committed output, two of the three TaskManagers are killed (at least one
 * runs the job), the job restarts from its last checkpoint on fresh TaskManagers and the rest of the input is
 * produced. Read with read_committed, every (series, window) of the input is in {@code hawkeye.window-stats}
 * exactly once, with the exact count — nothing lost, nothing duplicated by the replay after the restore.
 */
class FailoverITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(3).setNumberSlotsPerTaskManager(1)
                    .build());

    // Two days ago: within the broker's retention, on a different day than the other pipeline tests.
    static final Instant START = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2))
            .plus(Duration.ofHours(9));
    static final Duration SIMULATED = Duration.ofMinutes(20);
    static final int PARTITIONS = 4;
    /** Service of the spans sent after the input to close every window; their windows are not checked. */
    static final String MARKER = "watermark-marker";

    record Event(String key, String json, long ts) {}

    @Test
    void taskManagerFailureMidStreamLosesAndDuplicatesNoWindow(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        String bootstrap = TestServices.kafkaBootstrap();
        String telemetry = "telemetry-failover-it";
        String stats = "window-stats-failover-it";
        TestServices.createTopic(telemetry, PARTITIONS);
        TestServices.createTopic(stats, 2);
        TestServices.createTopic("metric-stats-failover-it", 2);
        TestServices.createTopic("dlq-failover-it", 1);

        // The input and its exact reference.
        Topology topology = Topology.load(Path.of("..", "deploy", "topologies", "two-tier.yaml"));
        List<Event> events = new ArrayList<>();
        new Simulation(topology, 11, START).run(SIMULATED, (key, json, ts) -> events.add(new Event(key, json, ts)));
        ExactStats exact = new ExactStats(60_000);
        TelemetryParser parser = new TelemetryParser(new TelemetryParser.Config(1 << 20, 0));
        for (Event e : events) {
            parser.parse(e.json().getBytes(StandardCharsets.UTF_8), telemetry, 0, 0, 0, new TelemetryParser.Handler() {
                @Override public void span(Span s) { exact.add(s); }
                @Override public void metric(MetricSample m) {}
                @Override public void deadLetter(DeadLetter d) { throw new AssertionError("simulator wrote " + d); }
            });
        }
        int half = events.size() / 2;
        produce(bootstrap, telemetry, events.subList(0, half));

        Map<String, String> options = TestJobs.jobOptions(bootstrap, "window-stats");
        options.put(HawkeyeOptions.KAFKA_GROUP_ID.key(), "hawkeye-failover-it");
        options.put(HawkeyeOptions.TOPIC_TELEMETRY.key(), telemetry);
        options.put(HawkeyeOptions.TOPIC_WINDOW_STATS.key(), stats);
        options.put(HawkeyeOptions.TOPIC_METRIC_STATS.key(), "metric-stats-failover-it");
        options.put(HawkeyeOptions.TOPIC_DLQ.key(), "dlq-failover-it");
        options.put(HawkeyeOptions.IDLENESS.key(), "0"); // every partition has data (round robin)
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        JobClient job = TestJobs.define(options, Duration.ofSeconds(1), restarts).executeAsync("failover-it");
        List<WindowStats> out;
        try (CommittedWindows committed = new CommittedWindows(bootstrap, stats)) {
            // 1. Wait for committed output: checkpoints have completed and transactions were committed.
            waitFor(() -> !committed.poll().isEmpty(), "first committed windows", job, committed);

            // 2. Kill two of the three single-slot TaskManagers: the job (parallelism 2) ran on at least one.
            cluster.terminateTaskManager(0).get();
            cluster.terminateTaskManager(1).get();
            cluster.startTaskManager();
            cluster.startTaskManager();

            // 3. The rest of the input, then one span per partition far ahead to close every window.
            produce(bootstrap, telemetry, events.subList(half, events.size()));
            produceWatermarkMarkers(bootstrap, telemetry);
            waitFor(() -> committed.poll().size() >= exact.seriesWindows(), "all " + exact.seriesWindows()
                    + " windows", job, committed);
            Thread.sleep(3000); // a duplicate would be committed by the next checkpoints
            out = new ArrayList<>(committed.poll());
        } finally {
            job.cancel().get();
        }

        // The job did go through a restart.
        long restartingAt = cluster.getArchivedExecutionGraph(job.getJobID()).get()
                .getStatusTimestamp(JobStatus.RESTARTING);
        assertThat(restartingAt).as("time the job went into RESTARTING").isPositive();
        long runningAgainAt = cluster.getArchivedExecutionGraph(job.getJobID()).get()
                .getStatusTimestamp(JobStatus.RUNNING);

        // 4. Exactly once: every series-window once, counts exact, percentiles within the sketch bound.
        Set<String> seen = new HashSet<>();
        for (WindowStats w : out) {
            assertThat(seen.add(ExactStats.key(w.service, w.endpoint, w.windowStart)))
                    .as("duplicate window %s %s %s", w.service, w.endpoint, Instant.ofEpochMilli(w.windowStart))
                    .isTrue();
        }
        assertThat(out).hasSize(exact.seriesWindows());
        double worst = 0;
        for (WindowStats w : out) worst = Math.max(worst, exact.check(w));
        assertThat(worst).isLessThanOrEqualTo(0.01);
        System.out.printf("failover: RESTARTING -> RUNNING in %,d ms; %,d windows once each, worst percentile error %.4f%n",
                runningAgainAt - restartingAt, out.size(), worst);
    }

    /** A read_committed consumer that keeps reading while the job runs (transactions may be open). */
    private static final class CommittedWindows implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<WindowStats> windows = new ArrayList<>();

        CommittedWindows(String bootstrap, String topic) {
            consumer = KafkaTestUtil.committedConsumer(bootstrap, topic);
        }

        List<WindowStats> poll() {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                WindowStats w = WindowStats.fromJson(r.value());
                if (!MARKER.equals(w.service)) windows.add(w);
            }
            return windows;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    /** Round robin over the partitions (in time order within each), so that no partition holds the watermark. */
    private static void produce(String bootstrap, String topic, List<Event> events) {
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            int i = 0;
            for (Event e : events) {
                producer.send(new ProducerRecord<>(topic, i++ % PARTITIONS, e.ts(), e.key(), e.json()));
            }
            producer.flush();
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static void produceWatermarkMarkers(String bootstrap, String topic) {
        long ts = START.plus(SIMULATED).plus(Duration.ofMinutes(10)).toEpochMilli();
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                producer.send(new ProducerRecord<>(topic, partition, ts, "marker", "{\"type\":\"span\",\"ts\":" + ts
                        + ",\"service\":\"" + MARKER + "\",\"endpoint\":\"GET /\",\"duration_ms\":1,\"status\":\"ok\"}"));
            }
            producer.flush();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what, JobClient job,
            CommittedWindows committed) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; job " + job.getJobStatus().get()
                        + ", " + committed.poll().size() + " windows committed");
            }
            Thread.sleep(500);
        }
    }
}
