package io.hawkeye.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawkeye.jobs.HawkeyeJob;
import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.Sinks;
import io.hawkeye.jobs.Sources;
import io.hawkeye.jobs.Uid;
import io.hawkeye.jobs.detect.RuleUpdate;
import io.hawkeye.jobs.ingest.TelemetryEvent;
import io.hawkeye.jobs.kafka.KafkaIO;
import io.hawkeye.jobs.testing.KafkaTestUtil;
import io.hawkeye.jobs.testing.TestJobs;
import io.hawkeye.local.KafkaBrokerProcess;
import io.hawkeye.local.LocalStack;
import io.hawkeye.local.MavenResolver;
import io.hawkeye.local.Processes;
import io.hawkeye.local.TopicSpec;
import io.hawkeye.stats.WindowStats;
import io.hawkeye.telemetry.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka broker stall longer than the partition idle timeout, on a real Kafka process (the local stack's), frozen
 * with SIGSTOP while the producer keeps producing (it buffers) and the job keeps reading; after SIGCONT every
 * partition's backlog arrives. Every produced span must then be in exactly one window or in the dead letters, and
 * late ones at most a small remainder (the resume grace keeps the stall's backlogs in their windows): exactly-once
 * sinks and the event-time pipeline through a broker freeze. Scaled down: idle timeout 4 s, resume
 * grace 20 s, client request timeout 4 s (so connections drop and partitions come back one after the other, as after
 * a real stall longer than 30 s), stall 12 s, event time at 10× wall time; the input goes on for 24 s after the
 * stall, longer than the grace. (Ending a bounded input inside the grace, while the other reader is still
 * reconnecting, lets the finished reader's final watermark close the windows first: those partials are then
 * dead-lettered as late, never lost silently.)
 */
class BrokerStallITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.miniCluster();

    static final int PARTITIONS = 4;
    static final int STEPS = 360;         // seconds of event time per partition
    static final int PER_STEP = 400;      // records per partition and second
    static final long BASE = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    static KafkaBrokerProcess broker;

    @BeforeAll
    static void startBroker() throws Exception {
        Path repo = MavenResolver.findRepoRoot(Path.of("")).orElseThrow();
        String classpath = new MavenResolver(repo).kafkaClasspath(repo.resolve(".hawkeye/cache"));
        int port = Processes.freePort(0);
        int controller = Processes.freePort(0);
        while (controller == port) controller = Processes.freePort(0);
        broker = KafkaBrokerProcess.start(classpath, work.resolve("kafka"), port, controller, Duration.ofMinutes(2));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            signal("CONT");
            broker.stop();
        }
    }

    @Test
    void aStallLongerThanTheIdleTimeoutLosesNoWindow() throws Exception {
        String bootstrap = broker.bootstrapServers();
        LocalStack.createTopics(bootstrap, List.of(new TopicSpec("stall.telemetry", PARTITIONS, Map.of()),
                new TopicSpec("stall.window-stats", 1, Map.of()), new TopicSpec("stall.metric-stats", 1, Map.of()),
                new TopicSpec("stall.dlq", 1, Map.of())));
        // Clients give up on a frozen broker after 4 s (30 s by default), as they do in a real stall longer than
        // that: connections are dropped and each partition's fetch position is re-validated on reconnect, so the
        // partitions come back one after the other rather than in one fetch.
        Path clientProps = work.resolve("client.properties");
        java.nio.file.Files.writeString(clientProps, "request.timeout.ms=4000\n");
        Configuration conf = Configuration.fromMap(Map.of(
                HawkeyeOptions.KAFKA_PROPERTIES_FILE.key(), clientProps.toString(),
                HawkeyeOptions.KAFKA_BOOTSTRAP.key(), bootstrap,
                HawkeyeOptions.KAFKA_GROUP_ID.key(), "stall",
                HawkeyeOptions.KAFKA_STARTING_OFFSETS.key(), "earliest",
                HawkeyeOptions.TOPIC_TELEMETRY.key(), "stall.telemetry",
                HawkeyeOptions.TOPIC_WINDOW_STATS.key(), "stall.window-stats",
                HawkeyeOptions.TOPIC_METRIC_STATS.key(), "stall.metric-stats",
                HawkeyeOptions.TOPIC_DLQ.key(), "stall.dlq",
                HawkeyeOptions.CAPABILITIES.key(), "window-stats",
                HawkeyeOptions.MAX_FUTURE_SKEW.key(), "0 ms"));
        conf.setString(HawkeyeOptions.OUT_OF_ORDERNESS.key(), "1 s");
        conf.setString(HawkeyeOptions.IDLENESS.key(), "4 s");
        conf.setString(HawkeyeOptions.RESUME_GRACE.key(), "20 s");
        conf.setString(HawkeyeOptions.WINDOW_SIZE.key(), "10 s");
        conf.setString(HawkeyeOptions.DEFAULT_CHECKPOINT_INTERVAL.key(), "2 s");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        HawkeyeJob.applyClusterDefaults(env, conf);
        HawkeyeJob.define(env, boundedAt(STEPS * PER_STEP), Sinks.of(conf), conf);
        JobClient job = env.executeAsync("broker stall");
        TestJobs.awaitRunning(job);

        produceThroughAStall(bootstrap);
        job.getJobExecutionResult().get(3, TimeUnit.MINUTES);

        // Dead letters: late raw events count 1 each, a late partial (a window already closed downstream) its count.
        long deadEvents = 0;
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestUtil.readAll(bootstrap, "stall.dlq")) {
            DeadLetter d = DeadLetter.fromJson(r.value());
            assertThat(d.reason).isEqualTo("late");
            JsonNode payload = JSON.readTree(d.payload);
            deadEvents += payload.has("count") && payload.has("window_start") ? payload.get("count").asLong() : 1;
        }
        Map<String, Long> counts = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestUtil.readAll(bootstrap, "stall.window-stats")) {
            WindowStats w = WindowStats.fromJson(r.value());
            if (w.scope.equals(WindowStats.SCOPE_ENDPOINT)) {
                assertThat(w.revision).isZero();
                assertThat(counts.put(w.service + "@" + (w.windowStart - BASE) / 1000, w.count))
                        .as("window emitted once").isNull();
            }
        }
        long windowed = counts.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("broker stall: %,d events windowed, %,d dead-lettered as late%n", windowed, deadEvents);
        // Nothing lost silently, nothing counted twice: every produced span is in exactly one window or in the
        // dead letters (exactly-once sinks through the freeze), and no window holds more than it should.
        assertThat(windowed + deadEvents).isEqualTo((long) PARTITIONS * STEPS * PER_STEP);
        assertThat(counts.values()).allMatch(c -> c <= 10L * PER_STEP);
        // Lateness, if the partitions came back more than the resume grace apart, stays a small remainder: the
        // backlogs of the stall (80 s of event time per partition) are not lost as they were with Flink's idleness.
        assertThat(deadEvents).isLessThan(10L * PER_STEP * PARTITIONS);
    }

    /** The job's Kafka telemetry source, bounded at {@code perPartition} records of every partition. */
    static Sources boundedAt(long perPartition) {
        return new Sources() {
            @Override
            public DataStream<TelemetryEvent> telemetry(StreamExecutionEnvironment env, ReadableConfig conf) {
                Map<TopicPartition, Long> end = new HashMap<>();
                for (int p = 0; p < PARTITIONS; p++) end.put(new TopicPartition("stall.telemetry", p), perPartition);
                return env.fromSource(KafkaIO.telemetrySourceBuilder(conf).setBounded(OffsetsInitializer.offsets(end))
                                .build(), Sources.watermarks(conf), "Kafka telemetry")
                        .uid(Uid.TELEMETRY_SOURCE.id());
            }

            @Override
            public DataStream<RuleUpdate> rules(StreamExecutionEnvironment env, ReadableConfig conf) {
                return null;
            }
        };
    }

    /**
     * One second of event time per partition every 100 ms: 40 s before the stall, 80 s while the broker is frozen
     * for 8 s (the producer buffers them), 40 s after. Partition p carries service "svc-p".
     */
    static void produceThroughAStall(String bootstrap) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int step = 0; step < STEPS; step++) {
                if (step == 40) signal("STOP");
                if (step == 100) Thread.sleep(6_000); // a 12 s stall: three request timeouts of the job's clients
                if (step == 120) signal("CONT");
                for (int part = 0; part < PARTITIONS; part++) {
                    for (int i = 0; i < PER_STEP; i++) {
                        long ts = BASE + step * 1000L + i * (1000L / PER_STEP);
                        String json = "{\"type\":\"span\",\"ts\":" + ts + ",\"service\":\"svc-" + part
                                + "\",\"endpoint\":\"GET /\",\"duration_ms\":" + (5 + i % 7) + ",\"status\":\"ok\"}";
                        producer.send(new ProducerRecord<>("stall.telemetry", part, null,
                                json.getBytes(StandardCharsets.UTF_8)));
                    }
                }
                Thread.sleep(100);
            }
            producer.flush();
        }
    }

    static void signal(String sig) {
        try {
            new ProcessBuilder("kill", "-" + sig, String.valueOf(broker.pid())).inheritIO().start().waitFor();
        } catch (Exception e) {
            throw new IllegalStateException("kill -" + sig + " " + broker.pid(), e);
        }
    }
}
