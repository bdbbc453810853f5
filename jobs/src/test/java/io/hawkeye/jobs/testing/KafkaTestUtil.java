package io.hawkeye.jobs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Plain Kafka clients for integration tests: produce records, read a whole topic as a read_committed consumer. */
public final class KafkaTestUtil {
    private KafkaTestUtil() {}

    public static void produce(String bootstrap, String topic, List<String> values) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, v.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /**
     * A read_committed consumer (no group, no offset commits) assigned all partitions of {@code topic} from the
     * beginning: it reads what transactional producers committed, as a downstream consumer would.
     */
    public static KafkaConsumer<byte[], byte[]> committedConsumer(String bootstrap, String topic) {
        KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, "read_committed");
        List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
        c.assign(parts);
        c.seekToBeginning(parts);
        return c;
    }

    /**
     * Every committed record of {@code topic}: read until the read_committed position reaches the log end offsets
     * (high watermarks) as of this call. A read_committed consumer's own end offsets are the last stable offsets,
     * which stay behind a transaction whose commit markers the broker is still writing — right after a bounded job
     * finished its final commit, reading to them could stop before the job's last (or only) transaction. A
     * transaction that stays open (an abandoned producer's) ends the wait at the 60 s deadline.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = committedConsumer(bootstrap, topic)) {
            List<TopicPartition> parts = new ArrayList<>(c.assignment());
            Map<TopicPartition, Long> end = logEndOffsets(bootstrap, parts);
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                boolean done = parts.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
                if (done) break;
                c.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * Every committed record of {@code topic} ({@link #readAll}) as parsed by {@code parse}, each checked to be keyed
     * by its {@code key} (UTF-8). A mutable list, in the order read.
     */
    public static <T> List<T> readAllKeyed(String bootstrap, String topic, Function<byte[], T> parse,
            Function<T, String> key) {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(bootstrap, topic)) {
            T record = parse.apply(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).as("key of %s", record).isEqualTo(key.apply(record));
            out.add(record);
        }
        return out;
    }

    private static Map<TopicPartition, Long> logEndOffsets(String bootstrap, List<TopicPartition> parts) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, "read_uncommitted")) {
            return c.endOffsets(parts);
        }
    }

    /** A byte-array consumer without group or offset commits, at {@code isolationLevel}. */
    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String isolationLevel) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(p);
    }
}
